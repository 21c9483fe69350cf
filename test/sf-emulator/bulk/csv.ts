// CSV as Bulk API 2.0 speaks it: the job's columnDelimiter and lineEnding, uploads parsed a slice at a
// time (yielding to the event loop so a 150 MB upload never stalls the server), results written back.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';

export const COLUMN_DELIMITERS = { COMMA: ',', TAB: '\t', PIPE: '|', SEMICOLON: ';', CARET: '^', BACKQUOTE: '`' } as const;
export type ColumnDelimiter = keyof typeof COLUMN_DELIMITERS;
export type LineEnding = 'LF' | 'CRLF';

export interface CsvFormat {
  columnDelimiter: ColumnDelimiter;
  lineEnding: LineEnding;
}

export class CsvFormatError extends Error {}

const SLICE_BYTES = 1 << 20;

/**
 * Parses an upload into rows, `chunkRows` at a time. The first row is the header. Throws CsvFormatError
 * (the job then fails with it) for malformed CSV, a line ending other than the job's, or ragged rows.
 */
export async function* parseCsvChunks(data: Buffer, format: CsvFormat, chunkRows: number): AsyncGenerator<string[][]> {
  checkLineEnding(data, format.lineEnding);
  const parser = parse({ delimiter: COLUMN_DELIMITERS[format.columnDelimiter], bom: true, skip_empty_lines: true, relax_column_count: true });
  const rows: string[][] = [];
  let failure: Error | undefined;
  let ended = false;
  parser.on('readable', () => {
    let row: string[] | null;
    while ((row = parser.read() as string[] | null) !== null) rows.push(row);
  });
  parser.on('error', (error) => (failure = error));
  parser.on('end', () => (ended = true));
  let columns: number | undefined;
  const take = (all: boolean): string[][] => {
    const out = rows.splice(0, all ? rows.length : chunkRows);
    for (const row of out) {
      columns ??= row.length;
      if (row.length !== columns) throw new CsvFormatError(`ClientInputError : Invalid CSV: a row has ${row.length} columns, the header has ${columns}`);
    }
    return out;
  };
  for (let offset = 0; offset < data.length; offset += SLICE_BYTES) {
    parser.write(data.subarray(offset, offset + SLICE_BYTES));
    await yieldToEventLoop();
    if (failure) throw new CsvFormatError(`ClientInputError : Failed to parse CSV: ${failure.message}`);
    while (rows.length >= chunkRows) yield take(false);
  }
  parser.end();
  while (!ended && !failure) await yieldToEventLoop();
  if (failure) throw new CsvFormatError(`ClientInputError : Failed to parse CSV: ${failure.message}`);
  while (rows.length > 0) yield take(false);
}

/** Salesforce rejects data whose line ending differs from the job's, judging by the header line. */
function checkLineEnding(data: Buffer, lineEnding: LineEnding): void {
  const newline = data.indexOf(0x0a);
  if (newline < 0) return;
  const crlf = newline > 0 && data[newline - 1] === 0x0d;
  if (crlf !== (lineEnding === 'CRLF')) {
    throw new CsvFormatError(`ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${lineEnding}`);
  }
}

/** Writes rows (header first) in the job's format; every value quoted, empty cells left empty. */
export function writeCsv(rows: Array<Array<string | null>>, format: CsvFormat): string {
  if (rows.length === 0) return '';
  return stringify(rows, {
    delimiter: COLUMN_DELIMITERS[format.columnDelimiter],
    record_delimiter: format.lineEnding === 'CRLF' ? '\r\n' : '\n',
    quoted: true,
  });
}
