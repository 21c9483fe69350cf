// A large run analyzes the tables it fills, as its writes grow, so its lookups are planned for the
// tables as they are; it refreshes the columns those lookups use and the table sizes, not the snapshots.
import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { databaseLabel, openTestDatabase } from '../helpers/db.ts';
import { keepPlannerStatistics } from '../../middleware/sync/statistics.ts';
import { linksRepository } from '../../middleware/sync/links.ts';

const database = await openTestDatabase();
after(() => database.close());
const { db } = database;

async function analyzedColumns(table: string): Promise<Set<string>> {
  const rows: Array<{ attname: string }> = (await db.raw('SELECT attname FROM pg_stats WHERE schemaname = current_schema() AND tablename = ?', [table])).rows;
  return new Set(rows.map((r) => r.attname));
}

async function estimatedRows(table: string): Promise<number> {
  const rows: Array<{ reltuples: number }> = (await db.raw("SELECT reltuples FROM pg_class WHERE oid = (quote_ident(current_schema()) || '.' || ?)::regclass", [table])).rows;
  return Number(rows[0]?.reltuples ?? -1);
}

describe(`planner statistics during a run on ${databaseLabel()}`, () => {
  test('below the first mark nothing is analyzed; past it, the lookup columns and the size are', async () => {
    const links = Array.from({ length: 12_000 }, (_, i) => ({
      object: 'contact' as const,
      prm_id: randomUUID(),
      sf_id: `003${String(i).padStart(15, '0')}`,
      state: 'linked' as const,
      snapshot: { LastName: `Name ${i}` },
      sf_modstamp: null,
      prm_change_seq: i,
      last_synced_at: new Date(),
      needs_retry: false,
      last_error: null,
    }));
    await linksRepository.insertMany(db, links);
    const keeper = keepPlannerStatistics(db);
    await keeper.written({ sync_links: 5000 });
    assert.equal((await analyzedColumns('sync_links')).size, 0, 'not analyzed below the first mark');
    await keeper.written({ sync_links: 12_000 });
    const columns = await analyzedColumns('sync_links');
    for (const column of ['object', 'prm_id', 'sf_id', 'needs_retry']) assert.ok(columns.has(column), `${column} analyzed`);
    assert.ok(!columns.has('snapshot'), 'the JSON snapshots are left to autovacuum');
    assert.ok(Math.abs((await estimatedRows('sync_links')) - 12_000) < 100, 'the table size is known');
    // The next analysis waits until the run's writes have doubled.
    await db.raw('DELETE FROM sync_links');
    await keeper.written({ sync_links: 20_000 });
    assert.ok((await estimatedRows('sync_links')) > 10_000, 'not analyzed again before 24,000 writes');
    await keeper.written({ sync_links: 24_000 });
    assert.ok((await estimatedRows('sync_links')) < 100, 'analyzed again at twice the last mark');
  });
});
