// Field values in and out: what a write may carry for each field type (with Salesforce's error codes
// and messages) and how stored values are rendered in REST JSON.
import type { SfErrorItem } from '../contracts.ts';
import { canonicalId } from '../core/ids.ts';
import { formatDateTime, parseDate, parseDateTime } from '../core/time.ts';
import type { FieldInfo } from '../schema/field-describe.ts';

export type Coerced = { ok: true; value: unknown } | { ok: false; error: SfErrorItem };

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function fieldError(statusCode: string, message: string, fields: string[] = []): SfErrorItem {
  return { statusCode, message, fields };
}

function typeError(field: FieldInfo, value: unknown): Coerced {
  return { ok: false, error: fieldError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${display(value)}`, [field.name]) };
}

function display(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const TEXT_TYPES = new Set(['string', 'textarea', 'phone', 'email', 'url', 'picklist', 'multipicklist', 'combobox', 'encryptedstring']);
const NUMBER_TYPES = new Set(['double', 'currency', 'percent', 'int', 'long']);

/**
 * Checks and normalizes one value for a field. Strings are accepted for every type (CSV from Bulk API);
 * empty strings and null clear the field (checkboxes become false).
 */
export function coerceValue(field: FieldInfo, value: unknown): Coerced {
  if (value === undefined || value === null || value === '') {
    return { ok: true, value: field.type === 'boolean' ? false : null };
  }
  if (typeof value === 'object') return typeError(field, value);
  const type = field.type;
  if (TEXT_TYPES.has(type)) return coerceText(field, String(value));
  if (NUMBER_TYPES.has(type)) return coerceNumber(field, value);
  switch (type) {
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, value };
      const text = String(value).trim().toLowerCase();
      if (text === 'true' || text === '1') return { ok: true, value: true };
      if (text === 'false' || text === '0') return { ok: true, value: false };
      return typeError(field, value);
    }
    case 'date': {
      const text = String(value).trim();
      const day = parseDate(text.length > 10 && /^\d{4}-\d{2}-\d{2}T00:00:00(\.0+)?Z$/i.test(text) ? text.slice(0, 10) : text);
      return day === undefined ? typeError(field, value) : { ok: true, value: text.slice(0, 10) };
    }
    case 'datetime': {
      const ms = typeof value === 'number' ? value : parseDateTime(String(value));
      return ms === undefined || !Number.isFinite(ms) ? typeError(field, value) : { ok: true, value: ms };
    }
    case 'time': {
      const text = String(value);
      return /^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?$/.test(text) ? { ok: true, value: text } : typeError(field, value);
    }
    case 'id':
    case 'reference': {
      const id = canonicalId(String(value).trim());
      if (!id) return { ok: false, error: fieldError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${display(value)}`, [field.name]) };
      return { ok: true, value: id };
    }
    default:
      return { ok: true, value };
  }
}

function coerceText(field: FieldInfo, text: string): Coerced {
  if (field.length > 0 && text.length > field.length) {
    return { ok: false, error: fieldError('STRING_TOO_LONG', `${field.label}: data value too large: ${text} (max length=${field.length})`, [field.name]) };
  }
  if (field.type === 'email' && !EMAIL.test(text)) {
    return { ok: false, error: fieldError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${text}`, [field.name]) };
  }
  if (field.picklist?.restricted) {
    const parts = field.type === 'multipicklist' ? text.split(';') : [text];
    const bad = parts.find((part) => !field.picklist?.values.has(part));
    if (bad !== undefined) {
      return { ok: false, error: fieldError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.label}: bad value for restricted picklist field: ${bad}`, [field.name]) };
    }
  }
  return { ok: true, value: text };
}

function coerceNumber(field: FieldInfo, value: unknown): Coerced {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(number) || typeof value === 'boolean') return typeError(field, value);
  if ((field.type === 'int' || field.type === 'long') && !Number.isInteger(number)) return typeError(field, value);
  const scale = field.type === 'int' || field.type === 'long' ? 0 : field.scale;
  const rounded = field.precision > 0 || scale > 0 ? Number(number.toFixed(scale)) : number;
  const integerDigits = field.type === 'int' ? field.digits || 9 : field.precision - scale;
  if (integerDigits > 0 && Math.abs(Math.trunc(rounded)).toString().length > integerDigits && Math.trunc(rounded) !== 0) {
    return { ok: false, error: fieldError('NUMBER_OUTSIDE_VALID_RANGE', `${field.label}: value outside of valid range on numeric field: ${display(value)}`, [field.name]) };
  }
  return { ok: true, value: rounded };
}

/** A stored value as REST JSON shows it. */
export function renderValue(field: FieldInfo, value: unknown): unknown {
  if (value === undefined || value === null) return field.type === 'boolean' ? false : null;
  if (field.type === 'datetime' && typeof value === 'number') return formatDateTime(value);
  return value;
}

/** Parts of a compound address field, keyed by the address JSON names. */
export const ADDRESS_KEYS: ReadonlyArray<[string, string]> = [
  ['city', 'City'],
  ['country', 'Country'],
  ['geocodeAccuracy', 'GeocodeAccuracy'],
  ['latitude', 'Latitude'],
  ['longitude', 'Longitude'],
  ['postalCode', 'PostalCode'],
  ['state', 'State'],
  ['street', 'Street'],
];

/** `BillingAddress` → `{ city, country, … }` built from the Billing* parts, or null when all are empty. */
export function renderAddress(fieldName: string, row: Readonly<Record<string, unknown>>): Record<string, unknown> | null {
  const prefix = fieldName.replace(/Address$/, '');
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [key, part] of ADDRESS_KEYS) {
    const value = row[prefix + part] ?? null;
    if (value !== null) any = true;
    out[key] = value;
  }
  return any ? out : null;
}

export function isTextType(type: string): boolean {
  return TEXT_TYPES.has(type);
}

export function isNumberType(type: string): boolean {
  return NUMBER_TYPES.has(type);
}
