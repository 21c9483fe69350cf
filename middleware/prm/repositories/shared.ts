// Pieces every PRM repository uses: the change_seq stamp, transactions that nest, version checks and the
// translation of constraint violations into errors that name the field.
import type { Knex } from 'knex';
import { AppError, notFound } from '../../errors.ts';
import type { BigintColumn, CustomFields } from '../../db/tables.ts';

/** A knex instance or an open transaction: repositories work the same on both. */
export type Queryable = Knex | Knex.Transaction;

/** Every insert, update and soft delete of a synced entity sets change_seq from this, in the same statement. */
export const nextChangeSeq = (db: Queryable) => db.raw("nextval('prm_change_seq')");

/** pg returns bigint as text, PGlite as a number; sequence values stay far below 2^53. */
export function toChangeSeq(value: BigintColumn): number {
  return typeof value === 'number' ? value : Number(value);
}

/** Runs `work` in a transaction; on a transaction already open this is a savepoint, so failures roll back alike. */
export function inTransaction<T>(db: Queryable, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(work);
}

export interface WriteOptions {
  /** The version the client last read; a different current version is refused with 409 STALE_VERSION. */
  expectedVersion?: number;
}

export function checkVersion(entity: string, row: { id: string; version: number }, options: WriteOptions): void {
  if (options.expectedVersion === undefined || options.expectedVersion === row.version) return;
  throw new AppError(
    409,
    'STALE_VERSION',
    `${entity} ${row.id} is at version ${row.version}, not ${options.expectedVersion}: it changed since you read it. Read it again and reapply your change.`,
    [{ field: 'version', problem: `is ${options.expectedVersion}; the current version is ${row.version}`, current_version: row.version }],
  );
}

/** Loads a live row for update (row lock), or throws 404. */
export async function lockLiveRow<Row extends { deleted_at: Date | null }>(trx: Knex.Transaction, table: string, entity: string, id: string): Promise<Row> {
  const row = (await trx(table).where({ id }).forUpdate().first()) as Row | undefined;
  if (!row || row.deleted_at !== null) throw notFound(entity, id);
  return row;
}

export function invalidReference(field: string, what: string, id: string): AppError {
  return new AppError(400, 'INVALID_REFERENCE', `${field}: ${what} ${id} does not exist or is deleted.`, [{ field, problem: `${what} ${id} does not exist or is deleted` }]);
}

interface PgError {
  code?: string;
  constraint?: string;
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pg = error as PgError;
  return pg?.code === '23505' && pg.constraint === constraint;
}

export function isForeignKeyViolation(error: unknown): error is PgError {
  return (error as PgError)?.code === '23503';
}

/**
 * Applies a custom-fields patch: keys given with a value are set, keys given as null are removed, other
 * keys stay. Computed here rather than in SQL so a patch that changes nothing is recognised as a no-op.
 */
export function mergeCustom(current: CustomFields, patch: CustomFields | undefined): CustomFields {
  if (!patch) return current;
  const next: CustomFields = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** jsonb parameters go in as JSON text: knex would turn a JS array into a PostgreSQL array literal. */
export const jsonb = (db: Queryable, value: unknown) => db.raw('?::jsonb', [JSON.stringify(value)]);

/**
 * The column changes a patch really makes: keys whose value equals the row's are dropped, so a write that
 * changes nothing neither bumps the version nor takes a change_seq (the sync's own echoes stay silent).
 */
export function changedColumns<Row extends object>(row: Row, patch: Partial<Row>): Partial<Row> {
  const changes: Partial<Row> = {};
  for (const [key, value] of Object.entries(patch) as Array<[keyof Row, Row[keyof Row]]>) {
    if (value === undefined) continue;
    if (!sameColumnValue(row[key], value)) changes[key] = value;
  }
  return changes;
}

function sameColumnValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
}

/** Trimmed and lower-cased; empty becomes null. Emails are compared case-insensitively everywhere. */
export function normalizeEmail(email: string | null | undefined): string | null | undefined {
  if (email === undefined || email === null) return email;
  const trimmed = email.trim().toLowerCase();
  return trimmed === '' ? null : trimmed;
}

/** Text inputs are stored trimmed; blank optional text is stored as null. */
export function cleanText(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** Keyset iteration over change_seq shared by the entity repositories. */
export async function* iterateBatches<Row extends { change_seq: string | number }>(
  load: (after: number) => Promise<Row[]>,
  start: number,
  batchSize: number,
): AsyncGenerator<Row[]> {
  let after = start;
  for (;;) {
    const batch = await load(after);
    if (batch.length === 0) return;
    yield batch;
    if (batch.length < batchSize) return;
    after = Number(batch.at(-1)?.change_seq);
  }
}
