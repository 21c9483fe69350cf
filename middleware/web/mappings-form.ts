// The field mapping editor's forms ↔ mappings. Rows are numbered fields (`prmField_3`, `sfField_3`,
// `direction_3`, `firstSyncOnly_3`, `remove_3`) because unchecked checkboxes are not sent, which would
// misalign repeated field names. Problems the validator reports by mapping index are mapped back to the
// form row they came from. Pure.
import type { FieldMapping, SyncedObject, ValueMapEntry } from '../settings/model.ts';
import type { SettingsProblem } from '../settings/problems.ts';

export const MAX_ROWS = 200;
export const MAPPING_FORM_KEY = '^(_csrf|object|version|index|(prmField|sfField|direction|firstSyncOnly|remove|prm|sf)_\\d{1,3})$';

export type MappingForm = Record<string, string | undefined>;

export interface ParsedMappings {
  mappings: FieldMapping[];
  /** formRow[k] = the form row mapping k came from. */
  formRow: number[];
}

const text = (form: MappingForm, key: string) => (form[key] ?? '').trim();

export function rowIndexes(form: MappingForm, prefix: string): number[] {
  const indexes = new Set<number>();
  for (const key of Object.keys(form)) {
    const match = new RegExp(`^${prefix}_(\\d{1,3})$`).exec(key);
    if (match) indexes.add(Number(match[1]));
  }
  return [...indexes].filter((i) => i < MAX_ROWS).sort((a, b) => a - b);
}

/** The mappings a submitted table describes; blank and removed rows are dropped, value maps carried over. */
export function mappingsFromForm(form: MappingForm, previous: readonly FieldMapping[]): ParsedMappings {
  const mappings: FieldMapping[] = [];
  const formRow: number[] = [];
  for (const i of rowIndexes(form, 'prmField').concat(rowIndexes(form, 'sfField')).filter((v, k, all) => all.indexOf(v) === k).sort((a, b) => a - b)) {
    if (form[`remove_${i}`] === 'on') continue;
    const prmField = text(form, `prmField_${i}`);
    const sfField = text(form, `sfField_${i}`);
    if (prmField === '' && sfField === '') continue;
    const mapping: FieldMapping = {
      prmField,
      sfField,
      direction: (text(form, `direction_${i}`) || 'both') as FieldMapping['direction'],
      firstSyncOnly: form[`firstSyncOnly_${i}`] === 'on',
    };
    const before = previous.find((m) => m.prmField === prmField && m.sfField === sfField && m.valueMap);
    if (before?.valueMap) mapping.valueMap = before.valueMap;
    mappings.push(mapping);
    formRow.push(i);
  }
  return { mappings, formRow };
}

/** Value map rows (`sf_i`, `prm_i`); rows missing either side are dropped. */
export function valueMapFromForm(form: MappingForm): ValueMapEntry[] {
  const entries: ValueMapEntry[] = [];
  for (const i of rowIndexes(form, 'sf')) {
    const sf = text(form, `sf_${i}`);
    const prm = text(form, `prm_${i}`);
    if (sf !== '' && prm !== '') entries.push({ prm, sf });
  }
  return entries;
}

/**
 * Problems keyed by form row and field (`3.sfField`), for display next to the inputs; problems of other
 * objects or of the whole list stay general.
 */
export function rowProblems(object: SyncedObject, problems: readonly SettingsProblem[], formRow: readonly number[]): { byRow: Map<string, string>; general: string[] } {
  const byRow = new Map<string, string>();
  const general: string[] = [];
  const pattern = new RegExp(`^${object}\\.mappings\\[(\\d+)\\](?:\\.(\\w+))?`);
  for (const problem of problems) {
    const match = pattern.exec(problem.path);
    const row = match ? formRow[Number(match[1])] : undefined;
    if (match && row !== undefined) {
      const field = ['prmField', 'sfField', 'direction', 'firstSyncOnly'].includes(match[2] ?? '') ? (match[2] as string) : 'row';
      const key = `${row}.${field}`;
      byRow.set(key, byRow.has(key) ? `${byRow.get(key)} ${problem.message}` : problem.message);
    } else {
      general.push(problem.message);
    }
  }
  return { byRow, general };
}

export interface MappingRowView {
  index: number;
  prmField: string;
  sfField: string;
  direction: string;
  firstSyncOnly: boolean;
  hasValueMap: boolean;
  /** Offer the value map editor: a picklist on either side, or a map already there. */
  offerValueMap: boolean;
  valueMapSize: number;
  /** Position in the saved settings, for the value map editor link; null for unsaved rows. */
  savedIndex: number | null;
  errors: Record<string, string | undefined>;
}

/** Rows for the table; after a refused save, `formRow` keeps each row's submitted number (errors are keyed by it). */
export function mappingRows(mappings: readonly FieldMapping[], blankRows: number, errors: Map<string, string> = new Map(), formRow?: readonly number[], picklists: ReadonlySet<string> = new Set()): MappingRowView[] {
  const saved = formRow === undefined;
  const rows: MappingRowView[] = mappings.map((mapping, index) => ({
    index: formRow?.[index] ?? index,
    prmField: mapping.prmField,
    sfField: mapping.sfField,
    direction: mapping.direction,
    firstSyncOnly: mapping.firstSyncOnly,
    hasValueMap: Boolean(mapping.valueMap && mapping.valueMap.length > 0),
    offerValueMap: Boolean(mapping.valueMap && mapping.valueMap.length > 0) || picklists.has(mapping.sfField) || picklists.has(`prm:${mapping.prmField}`),
    valueMapSize: mapping.valueMap?.length ?? 0,
    savedIndex: saved ? index : null,
    errors: {},
  }));
  const next = Math.max(-1, ...rows.map((row) => row.index)) + 1;
  for (let k = 0; k < blankRows; k += 1) {
    rows.push({ index: next + k, prmField: '', sfField: '', direction: 'both', firstSyncOnly: false, hasValueMap: false, offerValueMap: false, valueMapSize: 0, savedIndex: null, errors: {} });
  }
  for (const row of rows) {
    row.errors = Object.fromEntries(['prmField', 'sfField', 'direction', 'row'].map((field) => [field, errors.get(`${row.index}.${field}`)]));
  }
  return rows;
}
