// Planner statistics after bulk writes (the sync's large runs analyze as they go: sync/statistics.ts). Refresh Data writes hundreds of thousands of rows in a minute;
// autovacuum analyzes them minutes later (PGlite has no autovacuum at all), and until then PostgreSQL
// plans for the table as it was — 50 rows where there are 100,000 — choosing parallel hash joins and
// sorts where an index lookup takes a millisecond. VACUUM also marks the pages all-visible, so the
// wizard's list pages walk their partial indexes as index-only scans, deep offsets included.
import type { Db } from './knex.ts';

/** Tables whose bulk rewrite the caller just committed; VACUUM runs outside any transaction. */
export async function refreshPlannerStatistics(db: Db, tables: readonly string[]): Promise<void> {
  for (const table of tables) await db.raw('VACUUM (ANALYZE) ??', [table]);
}

/**
 * ANALYZE alone: may run inside a transaction, and costs a sample of each table, not a pass over it. With
 * columns, only those (and the table's size, which is what a growing table's plans need most): a third of
 * the time where the rest is JSON documents or trigram index expressions the lookups never filter on.
 */
export async function analyzeTables(db: Db, tables: readonly string[], columnsOf: (table: string) => readonly string[] | undefined = () => undefined): Promise<void> {
  for (const table of tables) {
    const columns = columnsOf(table);
    if (columns && columns.length > 0) await db.raw(`ANALYZE ?? (${columns.map(() => '??').join(', ')})`, [table, ...columns]);
    else await db.raw('ANALYZE ??', [table]);
  }
}
