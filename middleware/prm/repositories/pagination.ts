// Keyset pagination with opaque cursors. Lists are ordered by (created_at, id), or by change_seq when the
// caller asks for changes since a sequence number. created_at is carried with microsecond precision as
// text: a JS Date would round it to milliseconds and rows created in the same millisecond would be skipped.
import type { Knex } from 'knex';
import { badRequest } from '../../errors.ts';
import { toChangeSeq, type Queryable } from './shared.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export type ListOrder = 'created' | 'change_seq';

type CursorKey = { o: 'created'; t: string; id: string } | { o: 'change_seq'; s: number };

export interface Page<Row> {
  items: Row[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface PageRequest {
  cursor?: string;
  limit?: number;
}

const CREATED_TEXT = (table: string) => `to_char(${table}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, order: ListOrder): CursorKey {
  const invalid = () =>
    badRequest('INVALID_CURSOR', 'cursor: is not a cursor this list returned (cursors are opaque; pass next_cursor back unchanged, with the same filters).', [
      { field: 'cursor', problem: 'is not a valid cursor for this list' },
    ]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const k = key as Record<string, unknown>;
  if (order === 'created' && k?.o === 'created' && typeof k.t === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/.test(k.t) && typeof k.id === 'string' && /^[0-9a-f-]{36}$/i.test(k.id)) {
    return { o: 'created', t: k.t, id: k.id };
  }
  if (order === 'change_seq' && k?.o === 'change_seq' && Number.isSafeInteger(k.s) && (k.s as number) >= 0) {
    return { o: 'change_seq', s: k.s as number };
  }
  throw invalid();
}

/**
 * Runs `query` (already filtered, selecting `table.*`) one page at a time. Fetches one extra row to know
 * whether another page follows.
 */
export async function fetchPage<Row extends { id: string; change_seq?: string | number }>(
  db: Queryable,
  query: Knex.QueryBuilder,
  table: string,
  order: ListOrder,
  request: PageRequest,
): Promise<Page<Row>> {
  const limit = Math.min(Math.max(request.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  if (order === 'created') {
    query.select(db.raw(`${CREATED_TEXT(table)} AS _cursor_created`)).orderBy([`${table}.created_at`, `${table}.id`]);
    if (request.cursor) {
      const key = decodeCursor(request.cursor, 'created') as Extract<CursorKey, { o: 'created' }>;
      query.whereRaw(`(${table}.created_at, ${table}.id) > ((?::timestamp AT TIME ZONE 'UTC'), ?::uuid)`, [key.t, key.id]);
    }
  } else {
    query.orderBy(`${table}.change_seq`);
    if (request.cursor) {
      const key = decodeCursor(request.cursor, 'change_seq') as Extract<CursorKey, { o: 'change_seq' }>;
      query.where(`${table}.change_seq`, '>', key.s);
    }
  }
  const rows = (await query.limit(limit + 1)) as Array<Row & { _cursor_created?: string }>;
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  let nextCursor: string | null = null;
  if (more && last) {
    nextCursor =
      order === 'created'
        ? encodeCursor({ o: 'created', t: last._cursor_created ?? '', id: last.id })
        : encodeCursor({ o: 'change_seq', s: toChangeSeq(last.change_seq ?? 0) });
  }
  const items = pageRows.map((row) => {
    const { _cursor_created: _ignored, ...rest } = row;
    return rest as unknown as Row;
  });
  return { items, nextCursor };
}

/** Escapes LIKE wildcards so a search for "50%" finds the text "50%". */
export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
