// Planner statistics during a large run. An initial sync fills sync_links and a PRM table with hundreds of
// thousands of rows within a minute or two; until autovacuum analyzes them (PGlite never does) PostgreSQL
// plans every `prm_id IN (…)` lookup of the run for the near-empty tables they were at its start — a scan
// of every link of the object instead of a thousand index probes — and the run slows down as it grows.
// So a run that has written many rows analyzes those tables itself, again each time its writes double.
import type { Db } from '../db/knex.ts';
import { analyzeTables } from '../db/statistics.ts';

/** Rows a run writes before its first analysis: below this, stale statistics cost little. */
const FIRST_ANALYSIS_AFTER = 10_000;

export interface StatisticsKeeper {
  /** Called with the rows the run has written so far; analyzes when they passed the next mark. */
  written(rows: number): Promise<void>;
}

export function keepPlannerStatistics(db: Db, tables: readonly string[]): StatisticsKeeper {
  let nextMark = FIRST_ANALYSIS_AFTER;
  return {
    async written(rows) {
      if (rows < nextMark) return;
      nextMark = rows * 2;
      await analyzeTables(db, tables);
    },
  };
}
