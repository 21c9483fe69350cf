// Request-level checks of JSON record bodies, done before any record is written, as Salesforce does
// while deserializing: unknown fields (INVALID_FIELD) and values JSON cannot turn into the field's type
// (JSON_PARSER_ERROR). Per-record rules (lengths, picklists, required fields …) stay with the DML.
import type { EmulatorReply, SObjectValues } from '../contracts.ts';
import { errorReply, jsonParserError } from '../http/replies.ts';
import type { ObjectSchema } from '../schema/object-schema.ts';
import { parseDate, parseDateTime } from '../core/time.ts';
import { isNumberType } from '../store/values.ts';

const JSON_TYPE_NAMES: Readonly<Record<string, string>> = { boolean: 'boolean', double: 'double', currency: 'double', percent: 'double', int: 'int', long: 'long', date: 'date', datetime: 'datetime' };

function tokenOf(value: unknown): string {
  if (Array.isArray(value)) return 'START_ARRAY';
  if (typeof value === 'object') return 'START_OBJECT';
  if (typeof value === 'string') return 'VALUE_STRING';
  if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
  return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
}

function fits(type: string, value: unknown): boolean {
  if (value === null) return true;
  if (typeof value === 'object') return false;
  if (type === 'boolean') return typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value));
  if (isNumberType(type)) return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)));
  if (type === 'date') return typeof value === 'string' && (value === '' || parseDate(value.slice(0, 10)) !== undefined);
  if (type === 'datetime') return typeof value === 'string' && (value === '' || parseDateTime(value) !== undefined);
  return true;
}

/** The 400 reply for a record body Salesforce would refuse as a whole, or undefined. */
export function recordBodyProblem(schema: ObjectSchema, values: SObjectValues): EmulatorReply | undefined {
  for (const [key, value] of Object.entries(values)) {
    if (key === 'attributes') continue;
    const field = schema.field(key);
    if (!field) {
      const dot = key.indexOf('.');
      const relationship = schema.parentRelationship(dot > 0 ? key.slice(0, dot) : key);
      if (relationship && (dot > 0 || (value !== null && typeof value === 'object' && !Array.isArray(value)))) continue;
      return errorReply(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${schema.name}`);
    }
    if (!fits(field.type, value)) {
      const shown = typeof value === 'object' ? (Array.isArray(value) ? '[' : '{') : String(value);
      return jsonParserError(`Cannot deserialize instance of ${JSON_TYPE_NAMES[field.type] ?? 'string'} from ${tokenOf(value)} value ${shown} or request may be missing a required field`);
    }
  }
  return undefined;
}

/** Keeps only plain objects as record bodies. */
export function asRecord(value: unknown): SObjectValues | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as SObjectValues) : undefined;
}
