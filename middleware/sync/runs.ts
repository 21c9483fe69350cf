// Run records: one row per job run with status, counts, API calls and progress, for the Sync Manager.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../db/knex.ts';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'paused' | 'skipped';

export interface RunRecord {
  id: string;
  job: string;
  mode: string;
  status: RunStatus;
  started_at: Date;
  finished_at: Date | null;
  counts: Record<string, unknown>;
  progress: Record<string, unknown>;
  api_calls: number;
  api_calls_by_endpoint: Record<string, number>;
  error: string | null;
}

export const runsRepository = {
  async start(db: Db, job: string, mode: string): Promise<string> {
    const id = randomUUID();
    await db('sync_runs').insert({ id, job, mode, status: 'running', instance: `${hostname()}:${process.pid}` });
    return id;
  },

  async progress(db: Db, id: string, progress: Record<string, unknown>): Promise<void> {
    await db('sync_runs').where({ id }).update({ progress: JSON.stringify(progress) });
  },

  async finish(
    db: Db,
    id: string,
    outcome: { status: RunStatus; counts: Record<string, unknown>; apiCalls: number; byEndpoint: Record<string, number>; error?: string | null },
  ): Promise<void> {
    await db('sync_runs')
      .where({ id })
      .update({
        status: outcome.status,
        finished_at: db.fn.now(),
        counts: JSON.stringify(outcome.counts),
        api_calls: outcome.apiCalls,
        api_calls_by_endpoint: JSON.stringify(outcome.byEndpoint),
        error: outcome.error ?? null,
      });
  },

  async get(db: Db, id: string): Promise<RunRecord | undefined> {
    return db('sync_runs').where({ id }).first();
  },

  async recent(db: Db, job: string | null, limit: number): Promise<RunRecord[]> {
    const query = db('sync_runs').orderBy('started_at', 'desc').limit(limit);
    if (job) query.where({ job });
    return query;
  },

  /** Calls prm-sync made in the rolling 24 hours, for the own-share budget. */
  async apiCallsLast24h(db: Db): Promise<number> {
    const row = await db('sync_runs').where('started_at', '>', db.raw("now() - interval '24 hours'")).sum({ total: 'api_calls' }).first();
    return Number(row?.total ?? 0);
  },

  /** The org's API usage as the last finished run saw it. */
  async lastOrgUsage(db: Db): Promise<{ used: number; limit: number } | null> {
    const row = await db('sync_runs').whereNotNull('finished_at').whereRaw("counts->>'orgApiUsed' IS NOT NULL").orderBy('finished_at', 'desc').first();
    if (!row) return null;
    const counts = typeof row.counts === 'string' ? JSON.parse(row.counts) : row.counts;
    return { used: Number(counts.orgApiUsed), limit: Number(counts.orgApiLimit) };
  },
};
