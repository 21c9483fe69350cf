// Planner statistics during a large run. An initial sync fills sync_links and a PRM table with hundreds of
// thousands of rows within a minute or two; until autovacuum analyzes them (PGlite never does) PostgreSQL
// plans every `prm_id IN (…)` lookup of the run for the near-empty tables they were at its start — a scan
// of every link of the object instead of a thousand index probes — and the run slows down as it grows.
// So a run that has written many rows analyzes those tables itself, again each time its writes double.
import type { Db } from '../db/knex.ts';
import { analyzeTables } from '../db/statistics.ts';

/**
 * The columns the run's lookups filter and join on, by table: its analyses refresh these (and the table
 * sizes) only. The rest — snapshots, names, the wizard's trigram expressions — waits for autovacuum or
 * the wizard's own refresh.
 */
const LOOKUP_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  sync_links: ['object', 'prm_id', 'sf_id', 'state', 'needs_retry', 'prm_change_seq'],
  organizations: ['id', 'change_seq', 'deleted_at'],
  contacts: ['id', 'organization_id', 'change_seq', 'deleted_at', 'email'],
};

/** Rows a run writes before its first analysis: below this, stale statistics cost little. */
const FIRST_ANALYSIS_AFTER = 10_000;

export interface StatisticsKeeper {
  /** Called with the rows the run has written so far, by table; analyzes each table that passed its next mark. */
  written(rowsByTable: Readonly<Record<string, number>>): Promise<void>;
}

/**
 * Each table is analyzed on its own count: a push writes links but no PRM rows, and analyzing a PRM table it
 * only reads (trigram indexes included) cost seconds of a 100k push for nothing.
 */
export function keepPlannerStatistics(db: Db): StatisticsKeeper {
  const nextMark = new Map<string, number>();
  return {
    async written(rowsByTable) {
      const due = Object.entries(rowsByTable).filter(([table, rows]) => rows >= (nextMark.get(table) ?? FIRST_ANALYSIS_AFTER));
      if (due.length === 0) return;
      for (const [table, rows] of due) nextMark.set(table, rows * 2);
      await analyzeTables(
        db,
        due.map(([table]) => table),
        (table) => LOOKUP_COLUMNS[table],
      );
    },
  };
}
