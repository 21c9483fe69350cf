// Request validation for the PRM API with TypeBox: bodies are checked as sent (no type coercion, so
// `"name": 123` is refused rather than stored as "123"); params and query strings are converted from
// text first. Errors come out in ajv's shape with one entry per field and plain-language problems, which
// the app's error handler renders as `{ error: { code: 'VALIDATION_FAILED', message, details } }`.
// Every string is also checked for what the database cannot store (NUL, unpaired surrogates): refused
// here with the field's name rather than failing in SQL as a 500.
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import { IsOptional, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { registerAjvFormats } from '@fastify/type-provider-typebox';
import { unstorableText } from '../../db/text.ts';

registerAjvFormats();

interface RawError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

export const typeBoxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  // `body: Type.Optional(...)` lets a POST come without a body at all (e.g. /contacts/:id/promote).
  const bodyMayBeAbsent = httpPart === 'body' && IsOptional(schema);
  return (value: unknown) => {
    if (bodyMayBeAbsent && (value === undefined || value === null)) return { value: undefined };
    const converted = httpPart === 'body' ? value : Value.Convert(schema, value);
    const errors = check.Check(converted) ? [] : readableErrors(check.Errors(converted) as RawError[]);
    errors.push(...unstorableStrings(converted, ''));
    if (errors.length === 0) return { value: converted };
    return { error: errors as unknown as Error };
  };
};

/**
 * Turns TypeBox's raw errors into one readable error per field. A failed union yields one error per
 * branch plus an `anyOf` summary — which TypeBox's error cap (8) may cut off — so branches are grouped
 * by the schema path before their `/anyOf/N` and summarised here.
 */
export function readableErrors(raw: RawError[]): FastifySchemaValidationError[] {
  const out: FastifySchemaValidationError[] = [];
  const unionOf = (e: RawError) => /^(.*?)\/anyOf\/\d+/.exec(e.schemaPath)?.[1];
  const unions = new Map<string, RawError[]>();
  for (const e of raw) {
    const union = unionOf(e);
    if (union !== undefined) unions.set(union, [...(unions.get(union) ?? []), e]);
  }

  for (const branches of unions.values()) {
    const instancePath = branches[0]?.instancePath ?? '';
    const consts = branches.filter((e) => e.keyword === 'const').map((e) => String(e.params.allowedValue));
    const specific = branches.filter((e) => e.keyword !== 'type' && e.keyword !== 'const');
    const types = branches.filter((e) => e.keyword === 'type').map((e) => String(e.params.type));
    if (specific.length > 0) out.push(...specific.map(readable));
    else if (consts.length > 0) out.push(error(instancePath, 'enum', {}, `must be one of: ${consts.join(', ')}`));
    else out.push(error(instancePath, 'type', {}, `must be ${joinOr(types)}`));
  }

  for (const e of raw) {
    if (unionOf(e) !== undefined) continue;
    if (e.keyword === 'anyOf' && unions.has(e.schemaPath)) continue; // summarised above
    if (e.keyword === 'boolean' && e.schemaPath.endsWith('/additionalProperties')) continue; // repeated below
    if (e.keyword === 'additionalProperties') {
      const customFields = e.instancePath.endsWith('/custom');
      for (const name of (e.params.additionalProperties as string[] | undefined) ?? []) {
        const why = customFields ? 'is not a valid custom field name (a letter, then letters, digits or underscores; at most 63)' : 'is not allowed (unknown property)';
        out.push(error(e.instancePath, 'additionalProperties', { additionalProperty: name }, why));
      }
      continue;
    }
    if (e.keyword === 'required') {
      for (const name of (e.params.requiredProperties as string[] | undefined) ?? []) {
        out.push(error(e.instancePath, 'required', { missingProperty: name }, 'is required'));
      }
      continue;
    }
    out.push(readable(e));
  }
  return out;
}

function readable(e: RawError): FastifySchemaValidationError {
  return error(e.instancePath, e.keyword, e.params, problem(e));
}

function problem(e: RawError): string {
  const limit = e.params.limit;
  switch (e.keyword) {
    case 'maxLength':
      return `must be at most ${String(limit)} characters long`;
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${String(limit)} characters long`;
    case 'pattern':
      return e.params.pattern === '\\S' ? 'must not be blank' : `must match the pattern ${String(e.params.pattern)}`;
    case 'format':
      return FORMAT_PROBLEMS[String(e.params.format)] ?? `must be a valid ${String(e.params.format)}`;
    case 'enum':
      return `must be one of: ${((e.params.allowedValues as unknown[]) ?? []).map(String).join(', ')}`;
    case 'minimum':
      return `must be at least ${String(limit)}`;
    case 'maximum':
      return `must be at most ${String(limit)}`;
    case 'maxProperties':
      return `must not have more than ${String(limit)} properties`;
    case 'minProperties':
      return limit === 1 ? 'must contain at least one property' : `must contain at least ${String(limit)} properties`;
    case 'maxItems':
      return `must not have more than ${String(limit)} items`;
    case 'uniqueItems':
      return 'must not contain duplicates';
    default:
      return e.message;
  }
}

const FORMAT_PROBLEMS: Record<string, string> = {
  email: 'must be a valid email address',
  uuid: 'must be a UUID',
  date: 'must be a date as YYYY-MM-DD',
  'date-time': 'must be a date and time in ISO 8601',
};

function joinOr(items: string[]): string {
  const unique = [...new Set(items)];
  return unique.length <= 1 ? (unique[0] ?? 'valid') : `${unique.slice(0, -1).join(', ')} or ${unique.at(-1)}`;
}

function error(instancePath: string, keyword: string, params: Record<string, unknown>, message: string): FastifySchemaValidationError {
  return { keyword, instancePath, schemaPath: '', params, message };
}

/**
 * One error per string (or object key) the database could not store exactly, wherever it sits. Walked
 * with an explicit stack: a body of 100,000 nested arrays is valid JSON and must not overflow the call stack.
 */
export function unstorableStrings(value: unknown, instancePath: string, limit = 20): FastifySchemaValidationError[] {
  const out: FastifySchemaValidationError[] = [];
  const pending: Array<[unknown, string]> = [[value, instancePath]];
  while (pending.length > 0 && out.length < limit) {
    const [current, path] = pending.pop() as [unknown, string];
    if (typeof current === 'string') {
      const why = unstorableText(current);
      if (why) out.push(error(path, 'text', {}, why));
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    for (const [key, inner] of Object.entries(current)) {
      const keyProblem = unstorableText(key);
      if (keyProblem) out.push(error(path, 'text', { additionalProperty: key }, `(a property name) ${keyProblem}`));
      else pending.push([inner, `${path}/${key}`]);
    }
  }
  return out;
}
