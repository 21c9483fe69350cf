// Schemas shared by the PRM API routes: ids, text with limits, custom fields, pages, errors.
import { Type, type TSchema } from 'typebox';
import { MAX_LENGTH } from '../limits.ts';
import { MAX_PAGE_SIZE } from '../repositories/pagination.ts';

export const Uuid = (description?: string) => Type.String({ format: 'uuid', ...(description ? { description } : {}) });

/** Required text that must not be blank. */
export const RequiredText = (maxLength: number, description?: string) => Type.String({ minLength: 1, maxLength, pattern: '\\S', ...(description ? { description } : {}) });

/** Optional text; null (or blank) clears it. */
export const OptionalText = (maxLength: number, description?: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()], description ? { description } : {}));

export const Email = () => Type.String({ format: 'email', maxLength: MAX_LENGTH.email, description: 'Stored trimmed and lower-cased; unique per organization, ignoring case.' });

export const OrganizationKind = Type.Enum(['partner', 'distributor']);
export const OrganizationStatus = Type.Enum(['active', 'prospective', 'inactive']);

const CustomValue = Type.Union([Type.String({ maxLength: MAX_LENGTH.customValue }), Type.Number(), Type.Boolean(), Type.Null()]);

/** Custom fields: names are letters, digits and underscores; values are scalars. */
export const CustomFieldsInput = Type.Record(Type.String({ pattern: `^[A-Za-z][A-Za-z0-9_]{0,${MAX_LENGTH.customKey - 1}}$` }), CustomValue, {
  additionalProperties: false,
  maxProperties: MAX_LENGTH.customKeys,
  description: 'Custom field values. On update, keys given are set, keys given as null are removed, other keys stay.',
});
export const CustomFieldsOutput = Type.Record(Type.String(), CustomValue);

export const Version = Type.Integer({ minimum: 1, description: 'The version you last read; a different current version is refused with 409 STALE_VERSION.' });

export const Timestamps = {
  version: Type.Integer({ description: 'Increases by one on every change.' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  deleted_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
};

export const ChangeSeq = Type.Integer({ description: 'Position in the PRM change sequence: larger means changed later.' });

export const IdParams = Type.Object({ id: Uuid() }, { additionalProperties: false });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, description: `Page size (default 50, at most ${MAX_PAGE_SIZE}).` })),
  cursor: Type.Optional(Type.String({ maxLength: 400, description: 'next_cursor of the previous page.' })),
};

export const ChangeQuery = {
  updated_since: Type.Optional(Type.Integer({ minimum: 0, description: 'Only records whose change_seq is greater; the list is then ordered by change_seq.' })),
  include_deleted: Type.Optional(Type.Boolean({ description: 'Include soft-deleted records (default false).' })),
};

export const DeleteQuery = Type.Object({ version: Type.Optional(Version) }, { additionalProperties: false });

export const ListReply = <T extends TSchema>(item: T) => Type.Object({ data: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) });

export const ErrorReply = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. VALIDATION_FAILED, NOT_FOUND, STALE_VERSION.' }),
      message: Type.String({ description: 'What went wrong, naming the field.' }),
      details: Type.Optional(Type.Unknown({ description: 'Per-field problems: [{ field, problem, … }].' })),
    }),
  },
  { description: 'Error' },
);

/** The error replies every authenticated route can give, plus those listed. */
export function errorReplies(...statuses: Array<400 | 404 | 409>) {
  const replies: Record<number, typeof ErrorReply> = { 401: ErrorReply };
  for (const status of statuses) replies[status] = ErrorReply;
  return replies;
}

export const NoContent = Type.Null({ description: 'Done; no body.' });

export const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

/** Routes without query parameters refuse unknown ones rather than ignore them (a typo never goes unnoticed). */
export const NoQuery = Type.Object({}, { additionalProperties: false });
