// The bad-input catalogue's shared parts: what a case and a group of cases are, snapshots of the rows a
// case must not touch, and the health check that proves the process survived a group.
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';

/** Every case: a name that says what goes in and what must come out. */
export interface NamedCase {
  name: string;
}

/** A group of cases over one world (an app, a database, an emulated org), opened once for the group. */
export interface CaseGroup<World, Case extends NamedCase> {
  area: string;
  cases: readonly Case[];
  open(): Promise<World>;
  run(world: World, testCase: Case): Promise<void>;
  /** The app of the world, asked for /healthz and /readyz after the group. */
  app(world: World): FastifyInstance;
  close(world: World): Promise<void>;
}

/** A group with its types erased, so groups over different worlds fit in one list. */
export interface AnyGroup {
  area: string;
  cases: readonly NamedCase[];
  open(): Promise<unknown>;
  run(world: unknown, testCase: NamedCase): Promise<void>;
  app(world: unknown): FastifyInstance;
  close(world: unknown): Promise<void>;
}

export function erase<World, Case extends NamedCase>(group: CaseGroup<World, Case>): AnyGroup {
  return group as unknown as AnyGroup;
}

/** Rows of some tables, keyed by id (or integration, or the whole row for link tables), as canonical JSON. */
export type Snapshot = Record<string, Map<string, string>>;

function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  }
  return value;
}

/**
 * Bookkeeping a quiet cycle refreshes without changing any data: the sync re-reads the newest record at
 * its cursor (SystemModstamp >= cursor) and stamps its link as synced again.
 */
const BOOKKEEPING: Record<string, readonly string[]> = { sync_links: ['last_synced_at', 'updated_at', 'sf_modstamp'] };

export async function snapshot(db: Knex, tables: readonly string[]): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const table of tables) {
    const rows = (await db(table).select('*')) as Array<Record<string, unknown>>;
    const data = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([column]) => !BOOKKEEPING[table]?.includes(column)));
    out[table] = new Map(rows.map((row) => [String(row.id ?? row.integration ?? JSON.stringify(canonical(row))), JSON.stringify(canonical(data(row)))]));
  }
  return out;
}

export interface UnchangedOptions {
  /** Row keys the case was meant to change (the record it created or updated). */
  except?: ReadonlySet<string>;
  /** Whether rows may have been added (a stored case adds its record). */
  allowNew?: boolean;
}

/** Every row of `before` (but the excepted ones) is still there, byte for byte; nothing else appeared unless allowed. */
export function assertUnchanged(before: Snapshot, after: Snapshot, label: string, options: UnchangedOptions = {}): void {
  for (const [table, rows] of Object.entries(before)) {
    const now = after[table] ?? new Map<string, string>();
    for (const [key, row] of rows) {
      if (options.except?.has(key)) continue;
      assert.equal(now.get(key), row, `${label}: ${table} row ${key} was lost or changed`);
    }
    if (!options.allowNew) {
      const added = [...now.keys()].filter((key) => !rows.has(key) && !options.except?.has(key));
      assert.deepEqual(added, [], `${label}: ${table} gained rows`);
    }
  }
}

/** The process is alive and its database answers. */
export async function assertHealthy(app: FastifyInstance): Promise<void> {
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200, health.body);
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200, ready.body);
  assert.equal(ready.json().status, 'ready');
}

/** Text with every HTML-special character escaped the way Handlebars' `{{ }}` does. */
export function htmlEscaped(text: string): string {
  const map: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
  return text.replace(/[&<>"'`=]/g, (ch) => map[ch] as string);
}
