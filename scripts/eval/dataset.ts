// Loads an evaluation data set from CSV files: two record files, a column mapping onto the match features,
// and a truth file of (left id, right id) pairs. Every problem is reported with the file and column at fault.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { MATCH_FEATURES, type MatchFeature, type MatchRecord } from '../../middleware/matching/types.ts';

export type TruthPair = readonly [leftId: string, rightId: string];

export interface EvaluationDataset {
  readonly label: string;
  readonly left: readonly MatchRecord[];
  readonly right: readonly MatchRecord[];
  readonly truth: readonly TruthPair[];
}

export type ColumnMap = { readonly [F in MatchFeature]?: string };

export interface CsvDatasetFiles {
  readonly label?: string;
  readonly left: string;
  readonly right: string;
  readonly truth: string;
  /** Feature → column; by default every feature whose own name is a column. */
  readonly map?: ColumnMap;
  readonly idLeft?: string;
  readonly idRight?: string;
}

export class DatasetError extends Error {
  override name = 'DatasetError';
}

/** Parses "name=NAME,street=ADDR,…" into a column map, rejecting unknown features and empty columns. */
export function parseColumnMap(text: string): ColumnMap {
  const map: Partial<Record<MatchFeature, string>> = {};
  for (const entry of text.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const separator = entry.indexOf('=');
    const feature = entry.slice(0, separator).trim();
    const column = entry.slice(separator + 1).trim();
    if (separator < 0 || column === '') throw new DatasetError(`--map entry "${entry}" must look like feature=COLUMN`);
    if (!(MATCH_FEATURES as readonly string[]).includes(feature)) {
      throw new DatasetError(`--map feature "${feature}" is unknown; use ${MATCH_FEATURES.join(', ')}`);
    }
    map[feature as MatchFeature] = column;
  }
  if (Object.keys(map).length === 0) throw new DatasetError('--map names no columns');
  return map;
}

interface CsvTable {
  readonly file: string;
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, string>[];
}

export function readCsvTable(file: string): CsvTable {
  if (!existsSync(file)) throw new DatasetError(`File not found: ${file}`);
  let columns: string[] = [];
  let rows: Record<string, string>[];
  try {
    rows = parse(readFileSync(file, 'utf8'), {
      bom: true,
      skip_empty_lines: true,
      columns: (header: string[]) => (columns = header.map((column) => column.trim())),
    });
  } catch (error) {
    throw new DatasetError(`Cannot parse ${file} as CSV: ${(error as Error).message}`);
  }
  return { file, columns, rows };
}

function toRecords(table: CsvTable, idColumn: string, map: ColumnMap): MatchRecord[] {
  if (!table.columns.includes(idColumn)) {
    throw new DatasetError(`${table.file} has no id column "${idColumn}" (columns: ${table.columns.join(', ')})`);
  }
  const seen = new Set<string>();
  return table.rows.map((row, index) => {
    const id = (row[idColumn] ?? '').trim();
    if (id === '') throw new DatasetError(`${table.file} row ${index + 2} has an empty "${idColumn}"`);
    if (seen.has(id)) throw new DatasetError(`${table.file} repeats id "${id}" (row ${index + 2})`);
    seen.add(id);
    const record: Record<string, string> = { id };
    for (const feature of MATCH_FEATURES) {
      const column = map[feature];
      // A mapped column absent from this file is missing data for this side, not an error.
      if (column !== undefined && table.columns.includes(column)) record[feature] = row[column] ?? '';
    }
    return record as MatchRecord;
  });
}

function readTruth(file: string, left: readonly MatchRecord[], right: readonly MatchRecord[]): TruthPair[] {
  const table = readCsvTable(file);
  if (table.columns.length < 2) throw new DatasetError(`${file} needs two columns: left id, right id`);
  const [leftColumn = '', rightColumn = ''] = table.columns;
  const leftIds = new Set(left.map((record) => record.id));
  const rightIds = new Set(right.map((record) => record.id));
  return table.rows.map((row, index) => {
    const pair: TruthPair = [(row[leftColumn] ?? '').trim(), (row[rightColumn] ?? '').trim()];
    if (!leftIds.has(pair[0])) throw new DatasetError(`${file} row ${index + 2}: left id "${pair[0]}" is not in the left file`);
    if (!rightIds.has(pair[1])) throw new DatasetError(`${file} row ${index + 2}: right id "${pair[1]}" is not in the right file`);
    return pair;
  });
}

export function loadCsvDataset(files: CsvDatasetFiles): EvaluationDataset {
  const leftTable = readCsvTable(files.left);
  const rightTable = readCsvTable(files.right);
  const map = files.map ?? Object.fromEntries(MATCH_FEATURES.filter((feature) => leftTable.columns.includes(feature) || rightTable.columns.includes(feature)).map((feature) => [feature, feature]));
  for (const [feature, column] of Object.entries(map)) {
    if (!leftTable.columns.includes(column) && !rightTable.columns.includes(column)) {
      throw new DatasetError(`Column "${column}" (mapped to ${feature}) is in neither ${files.left} nor ${files.right}`);
    }
  }
  if (Object.keys(map).length === 0) throw new DatasetError(`No match features found; pass --map (features: ${MATCH_FEATURES.join(', ')})`);
  const left = toRecords(leftTable, files.idLeft ?? 'id', map);
  const right = toRecords(rightTable, files.idRight ?? 'id', map);
  const truth = readTruth(files.truth, left, right);
  return { label: files.label ?? `${path.basename(files.left)} × ${path.basename(files.right)}`, left, right, truth };
}

/** The Fodor's/Zagat's restaurant benchmark: Fodor's plays the PRM organizations, Zagat's the accounts. */
export function loadFodorsZagats(directory: string): EvaluationDataset {
  return loadCsvDataset({
    label: 'fodors-zagats',
    left: path.join(directory, 'fodors.csv'),
    right: path.join(directory, 'zagats.csv'),
    truth: path.join(directory, 'matches_fodors_zagats.csv'),
    map: { name: 'name', street: 'addr', city: 'city', phone: 'phone' },
  });
}
