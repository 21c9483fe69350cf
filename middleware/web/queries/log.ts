// Integration log queries for the log page and its CSV export: filters (run, object, level, code, record),
// counts grouped by code, one page of rows, every row as a stream, and "retry failed records" (mark the
// links of the matching error rows for the next run).
import type { Knex } from 'knex';

export interface LogFilter {
  run?: string;
  object?: string;
  level?: string;
  code?: string;
  /** A PRM id (uuid) or a Salesforce id (15/18 characters). */
  record?: string;
}

export interface LogEntry {
  id: number;
  runId: string | null;
  createdAt: Date;
  level: string;
  object: string | null;
  prmId: string | null;
  sfId: string | null;
  code: string;
  message: string;
  suggestion: string | null;
  details: Record<string, unknown>;
}

export const LOG_OBJECTS = ['organization', 'contact', 'deal'] as const;
export const LOG_LEVELS = ['info', 'warning', 'error'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function applyFilter(query: Knex.QueryBuilder, filter: LogFilter, options: { skipCode?: boolean } = {}): Knex.QueryBuilder {
  if (filter.run) query.where('run_id', filter.run);
  if (filter.object) query.where('object', filter.object);
  if (filter.level) query.where('level', filter.level);
  if (filter.code && !options.skipCode) query.where('code', filter.code);
  if (filter.record) {
    const record = filter.record;
    if (UUID.test(record)) query.where('prm_id', record.toLowerCase());
    else query.where((inner) => void inner.where('sf_id', record).orWhere('sf_id', 'like', `${record.slice(0, 15)}%`));
  }
  return query;
}

function toEntry(row: Record<string, unknown>): LogEntry {
  const details = typeof row.details === 'string' ? (JSON.parse(row.details) as Record<string, unknown>) : ((row.details ?? {}) as Record<string, unknown>);
  return {
    id: Number(row.id),
    runId: (row.run_id as string | null) ?? null,
    createdAt: row.created_at as Date,
    level: String(row.level),
    object: (row.object as string | null) ?? null,
    prmId: (row.prm_id as string | null) ?? null,
    sfId: (row.sf_id as string | null) ?? null,
    code: String(row.code),
    message: String(row.message),
    suggestion: (row.suggestion as string | null) ?? null,
    details,
  };
}

export function createLogQueries(db: Knex) {
  return {
    async count(filter: LogFilter): Promise<number> {
      const row = await applyFilter(db('integration_log').count({ n: '*' }), filter).first();
      return Number((row as { n?: unknown } | undefined)?.n ?? 0);
    },

    async page(filter: LogFilter, limit: number, offset: number): Promise<LogEntry[]> {
      const rows = (await applyFilter(db('integration_log').select('*'), filter).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit).offset(offset)) as Array<Record<string, unknown>>;
      return rows.map(toEntry);
    },

    /** Counts per code (and level) under every filter but the code itself, so each count is a filter to click. */
    async groups(filter: LogFilter): Promise<Array<{ code: string; level: string; count: number }>> {
      const rows = (await applyFilter(db('integration_log').select('code', 'level').count({ n: '*' }), filter, { skipCode: true }).groupBy('code', 'level').orderBy([{ column: 'n', order: 'desc' }, { column: 'code' }]).limit(100)) as Array<{
        code: string;
        level: string;
        n: string | number;
      }>;
      return rows.map((row) => ({ code: row.code, level: row.level, count: Number(row.n) }));
    },

    /** Every matching row, newest first, in batches (for the CSV export). */
    async *all(filter: LogFilter, max: number): AsyncGenerator<LogEntry[]> {
      const batch = 1000;
      let lastId: number | null = null;
      let sent = 0;
      while (sent < max) {
        const query = applyFilter(db('integration_log').select('*'), filter).orderBy('id', 'desc').limit(Math.min(batch, max - sent));
        if (lastId !== null) query.where('id', '<', lastId);
        const rows = ((await query) as Array<Record<string, unknown>>).map(toEntry);
        if (rows.length === 0) return;
        yield rows;
        sent += rows.length;
        lastId = (rows.at(-1) as LogEntry).id;
      }
    },

    async runs(limit: number): Promise<Array<{ id: string; job: string; mode: string; startedAt: Date; status: string }>> {
      const rows = (await db('sync_runs').select('id', 'job', 'mode', 'started_at', 'status').orderBy('started_at', 'desc').limit(limit)) as Array<Record<string, unknown>>;
      return rows.map((row) => ({ id: String(row.id), job: String(row.job), mode: String(row.mode), startedAt: row.started_at as Date, status: String(row.status) }));
    },

    /**
     * Marks the links of the records behind the matching error rows for retry on the next run. Returns how
     * many links were marked and how many error rows named no linked record (deals, run-level errors).
     */
    async retryFailed(filter: LogFilter): Promise<{ marked: number; withoutLink: number }> {
      const errors = applyFilter(db('integration_log').select('object', 'prm_id', 'sf_id').where('level', 'error'), { ...filter, level: 'error' });
      const targets = (await errors.distinct()) as Array<{ object: string | null; prm_id: string | null; sf_id: string | null }>;
      let marked = 0;
      let withoutLink = 0;
      for (const target of targets) {
        if (!target.object || (!target.prm_id && !target.sf_id)) {
          withoutLink += 1;
          continue;
        }
        const count = await db('sync_links')
          .where({ object: target.object })
          .andWhere((inner) => {
            if (target.prm_id) void inner.orWhere('prm_id', target.prm_id);
            if (target.sf_id) void inner.orWhere('sf_id', target.sf_id);
          })
          .update({ needs_retry: true, updated_at: db.fn.now() });
        if (count === 0) withoutLink += 1;
        marked += count;
      }
      return { marked, withoutLink };
    },

    /** A record's log history (record pages). */
    async forRecord(prmId: string | null, sfId: string | null, limit: number): Promise<LogEntry[]> {
      if (!prmId && !sfId) return [];
      const rows = (await db('integration_log')
        .select('*')
        .where((inner) => {
          if (prmId) void inner.orWhere('prm_id', prmId);
          if (sfId) void inner.orWhere('sf_id', sfId);
        })
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
        .limit(limit)) as Array<Record<string, unknown>>;
      return rows.map(toEntry);
    },
  };
}

export type LogQueries = ReturnType<typeof createLogQueries>;
