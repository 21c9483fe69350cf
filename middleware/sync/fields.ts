// Mapped fields and the conversion of records on both sides into the merge's canonical (PRM) space and
// back. Pure: the picklist value maps and type conversions live here, nothing else knows them.
import { withoutNul } from '../db/text.ts';
import type { MergeValue, MergeValues } from './merge.ts';
import type { FieldDirection } from './strategy.ts';

/** `email` compares trimmed and lower-cased: the PRM stores emails normalized, Salesforce keeps the case typed. */
export type SfValueType = 'string' | 'email' | 'boolean' | 'number' | 'date' | 'datetime';

export interface ValueMapEntry {
  prm: string;
  sf: string;
}

export interface FieldMap {
  /** Canonical key shared by snapshot, merge and conflicts, e.g. `name`, `billing_city`, `partner_status`. */
  key: string;
  /** Reads the canonical PRM value from a PRM row. */
  readPrm: (row: Record<string, unknown>) => MergeValue;
  /** Turns a canonical value into PRM column updates (a computed field may set several columns). */
  writePrm: (value: MergeValue) => Record<string, unknown>;
  sfField: string;
  sfType: SfValueType;
  direction: FieldDirection;
  firstSyncOnly: boolean;
  /** Picklist value map; compared case-sensitively, as Salesforce does. */
  valueMap?: readonly ValueMapEntry[];
  /** Most characters the PRM column holds: a longer Salesforce value is reported, not written (it would fail the PRM batch). */
  maxLength?: number;
}

export interface ConversionProblem {
  key: string;
  sfField: string;
  side: 'prm' | 'salesforce';
  value: string;
  /** `unmapped`: a picklist value without a counterpart; `too_long`: longer than the PRM column (`limit`). */
  kind: 'unmapped' | 'too_long';
  limit?: number;
}

/** A PRM column (or `custom.<name>` for the jsonb custom fields) as a plain mapped field. */
export function columnField(
  key: string,
  prmColumn: string,
  sfField: string,
  options: { sfType?: SfValueType; direction?: FieldDirection; firstSyncOnly?: boolean; valueMap?: readonly ValueMapEntry[]; maxLength?: number } = {},
): FieldMap {
  const custom = prmColumn.startsWith('custom.') ? prmColumn.slice('custom.'.length) : null;
  return {
    key,
    sfField,
    sfType: options.sfType ?? 'string',
    direction: options.direction ?? 'both',
    firstSyncOnly: options.firstSyncOnly ?? false,
    valueMap: options.valueMap,
    ...(options.maxLength !== undefined && !custom ? { maxLength: options.maxLength } : {}),
    readPrm: (row) => toMergeValue(custom ? (row.custom as Record<string, unknown> | null | undefined)?.[custom] : row[prmColumn]),
    writePrm: (value) => (custom ? { [`custom.${custom}`]: value } : { [prmColumn]: value }),
  };
}

export function toMergeValue(value: unknown): MergeValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** Canonical values of a PRM row for every mapped field. */
export function prmValues(fields: readonly FieldMap[], row: Record<string, unknown>): MergeValues {
  const out: MergeValues = {};
  for (const field of fields) out[field.key] = normalizeForType(field.readPrm(row), field.sfType);
  return out;
}

/**
 * Canonical values of a Salesforce record. Picklist values without a mapping and text longer than the PRM
 * column are reported, not guessed or cut: they stay out of the merge, so they never overwrite anything.
 */
export function sfValues(fields: readonly FieldMap[], record: Record<string, unknown>, problems: ConversionProblem[] = []): MergeValues {
  const out: MergeValues = {};
  for (const field of fields) {
    const raw = normalizeForType(toMergeValue(record[field.sfField]), field.sfType);
    if (field.valueMap && raw !== null) {
      const hit = field.valueMap.find((entry) => entry.sf === raw);
      if (!hit) {
        problems.push({ key: field.key, sfField: field.sfField, side: 'salesforce', value: String(raw), kind: 'unmapped' });
        continue;
      }
      out[field.key] = hit.prm;
    } else if (typeof raw === 'string' && field.maxLength !== undefined && characters(raw) > field.maxLength) {
      problems.push({ key: field.key, sfField: field.sfField, side: 'salesforce', value: raw, kind: 'too_long', limit: field.maxLength });
    } else {
      out[field.key] = raw;
    }
  }
  return out;
}

/** Characters as PostgreSQL's varchar(n) counts them (code points, so an emoji is one). */
function characters(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** Salesforce field values for the canonical values given (only the keys present). */
export function toSalesforceFields(fields: readonly FieldMap[], values: Record<string, MergeValue>, problems: ConversionProblem[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (!(field.key in values)) continue;
    const value = values[field.key] ?? null;
    if (field.valueMap && value !== null) {
      const hit = field.valueMap.find((entry) => entry.prm === value);
      if (!hit) {
        problems.push({ key: field.key, sfField: field.sfField, side: 'prm', value: String(value), kind: 'unmapped' });
        continue;
      }
      out[field.sfField] = hit.sf;
    } else {
      out[field.sfField] = value;
    }
  }
  return out;
}

/** PRM column updates for the canonical values given; `custom.x` keys are gathered into one jsonb patch. */
export function toPrmColumns(fields: readonly FieldMap[], values: Record<string, MergeValue>): { columns: Record<string, unknown>; custom: Record<string, unknown> } {
  const columns: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  for (const field of fields) {
    if (!(field.key in values)) continue;
    for (const [column, value] of Object.entries(field.writePrm(values[field.key] ?? null))) {
      if (column.startsWith('custom.')) custom[column.slice('custom.'.length)] = value;
      else columns[column] = value;
    }
  }
  return { columns, custom };
}

/**
 * Makes equal values compare equal across systems: dates as YYYY-MM-DD, datetimes as ISO UTC, numbers as
 * numbers. Text loses NUL characters: PostgreSQL cannot store them (one would fail the whole PRM batch)
 * and Salesforce displays nothing for them, so both sides then agree on the visible text.
 */
export function normalizeForType(raw: MergeValue, type: SfValueType): MergeValue {
  const value = typeof raw === 'string' ? withoutNul(raw) : raw;
  if (value === null || value === '') return null;
  switch (type) {
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) ? n : null;
    }
    case 'boolean':
      return value === true || value === 'true';
    case 'date':
      return String(value).slice(0, 10);
    case 'email':
      return String(value).trim().toLowerCase() || null;
    case 'datetime': {
      const time = new Date(String(value).replace(/\+0000$/, 'Z'));
      return Number.isNaN(time.getTime()) ? String(value) : time.toISOString();
    }
    default:
      return typeof value === 'string' ? value : String(value);
  }
}
