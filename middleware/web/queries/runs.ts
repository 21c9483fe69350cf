// Run records as the Sync Manager and the settings page show them: history, latest run per job and mode,
// and the totals of a run's counts (the sync cycle and the deal import count different things).
import type { Knex } from 'knex';

export interface RunRow {
  id: string;
  job: string;
  mode: string;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  durationSeconds: number | null;
  counts: Record<string, unknown>;
  progress: Record<string, unknown>;
  apiCalls: number;
  error: string | null;
  recordsSynced: number;
  errors: number;
}

const RECORD_KEYS = ['toSalesforce', 'toPrm', 'createdInSalesforce', 'createdInPrm', 'imported', 'updated', 'created'];

const parse = (value: unknown): Record<string, unknown> => {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  return (value ?? {}) as Record<string, unknown>;
};

/** Records written (either side) and per-record errors, from whichever counts the job keeps. */
export function summarizeCounts(counts: Record<string, unknown>): { recordsSynced: number; errors: number } {
  const number = (key: string) => (typeof counts[key] === 'number' ? (counts[key] as number) : Number(counts[key] ?? 0) || 0);
  const recordsSynced = typeof counts.recordsSynced === 'number' ? counts.recordsSynced : RECORD_KEYS.reduce((sum, key) => sum + number(key), 0);
  return { recordsSynced, errors: number('errors') || number('failed') };
}

function toRun(row: Record<string, unknown>): RunRow {
  const counts = parse(row.counts);
  const startedAt = new Date(row.started_at as Date);
  const finishedAt = row.finished_at ? new Date(row.finished_at as Date) : null;
  return {
    id: String(row.id),
    job: String(row.job),
    mode: String(row.mode),
    status: String(row.status),
    startedAt,
    finishedAt,
    durationSeconds: finishedAt ? Math.max(0, Math.round((finishedAt.getTime() - startedAt.getTime()) / 100) / 10) : null,
    counts,
    progress: parse(row.progress),
    apiCalls: Number(row.api_calls ?? 0),
    error: (row.error as string | null) ?? null,
    ...summarizeCounts(counts),
  };
}

export function createRunQueries(db: Knex) {
  return {
    async recent(limit: number, offset = 0, job?: string): Promise<RunRow[]> {
      const query = db('sync_runs').select('*').orderBy([{ column: 'started_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit).offset(offset);
      if (job) query.where({ job });
      return ((await query) as Array<Record<string, unknown>>).map(toRun);
    },

    async count(job?: string): Promise<number> {
      const query = db('sync_runs').count({ n: '*' });
      if (job) query.where({ job });
      return Number((await query.first())?.n ?? 0);
    },

    async get(id: string): Promise<RunRow | undefined> {
      const row = (await db('sync_runs').where({ id }).first()) as Record<string, unknown> | undefined;
      return row ? toRun(row) : undefined;
    },

    /** The newest run of each job and mode, e.g. `accounts_contacts:full`. */
    async latestByJobAndMode(): Promise<Map<string, RunRow>> {
      const rows = (await db
        .select('*')
        .from(db('sync_runs').select('*', db.raw('row_number() OVER (PARTITION BY job, mode ORDER BY started_at DESC, id DESC) AS rank')).as('ranked'))
        .where('rank', 1)) as Array<Record<string, unknown>>;
      return new Map(rows.map((row) => [`${String(row.job)}:${String(row.mode)}`, toRun(row)]));
    },

    /** Error-level log rows per object in one run (Sync Manager rows per object). */
    async errorsByObject(runIds: readonly string[]): Promise<Map<string, number>> {
      if (runIds.length === 0) return new Map();
      const rows = (await db('integration_log').select('run_id', 'object').count({ n: '*' }).whereIn('run_id', runIds).andWhere({ level: 'error' }).groupBy('run_id', 'object')) as Array<{
        run_id: string;
        object: string | null;
        n: string | number;
      }>;
      return new Map(rows.map((row) => [`${row.run_id}:${row.object ?? ''}`, Number(row.n)]));
    },
  };
}

export type RunQueries = ReturnType<typeof createRunQueries>;
