// The wizard's long steps (Refresh Data, apply) run in the background, one at a time across replicas,
// with their progress in wizard_tasks: the pages read it, so a plain reload — or another replica —
// always shows where the work stands. A task whose process died stops sending heartbeats and is marked
// failed by the next look at it.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../db/knex.ts';

export type TaskKind = 'refresh' | 'apply';
export type TaskStatus = 'running' | 'succeeded' | 'failed';

export interface WizardTask {
  id: string;
  kind: TaskKind;
  status: TaskStatus;
  phase: string | null;
  done: number;
  total: number;
  counts: Record<string, number>;
  error: string | null;
  startedBy: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface TaskProgress {
  /** A new phase; `total` 0 means the amount of work is not known yet. */
  phase(text: string, total?: number): void;
  /** Work done within the phase. */
  advance(done: number): void;
}

export type TaskOutcome = { started: true; task: WizardTask } | { started: false; reason: string; running: WizardTask | null };

const HEARTBEAT_MS = 10_000;
/** A running task without a heartbeat for this long belongs to a process that is gone. */
const STALE_MS = 120_000;
/** Progress is written at most this often (phase changes are written at once). */
const WRITE_INTERVAL_MS = 500;
const INSTANCE = `${hostname()}:${process.pid}`;

function parseCounts(value: unknown): Record<string, number> {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, number>) : {};
}

function toTask(row: Record<string, unknown>): WizardTask {
  return {
    id: String(row.id),
    kind: row.kind as TaskKind,
    status: row.status as TaskStatus,
    phase: (row.phase as string | null) ?? null,
    done: Number(row.done ?? 0),
    total: Number(row.total ?? 0),
    counts: parseCounts(row.counts),
    error: (row.error as string | null) ?? null,
    startedBy: (row.started_by as string | null) ?? null,
    startedAt: new Date(row.started_at as string),
    finishedAt: row.finished_at ? new Date(row.finished_at as string) : null,
  };
}

export function createTaskRunner(db: Db, onError: (error: unknown, task: WizardTask) => void = () => undefined) {
  const inProcess = new Set<Promise<void>>();

  async function markStale(): Promise<void> {
    await db('wizard_tasks')
      .where({ status: 'running' })
      .andWhere('heartbeat_at', '<', new Date(Date.now() - STALE_MS))
      .update({ status: 'failed', error: 'Interrupted: the process running it stopped. Start it again; finished work is kept.', finished_at: db.fn.now() });
  }

  async function latest(kind?: TaskKind): Promise<WizardTask | null> {
    await markStale();
    const query = db('wizard_tasks').orderBy('started_at', 'desc').first();
    if (kind) query.where({ kind });
    const row = (await query) as Record<string, unknown> | undefined;
    return row ? toTask(row) : null;
  }

  async function running(): Promise<WizardTask | null> {
    await markStale();
    const row = (await db('wizard_tasks').where({ status: 'running' }).first()) as Record<string, unknown> | undefined;
    return row ? toTask(row) : null;
  }

  async function start(kind: TaskKind, actor: string, work: (progress: TaskProgress, counts: Record<string, number>) => Promise<void>): Promise<TaskOutcome> {
    await markStale();
    const id = randomUUID();
    try {
      await db('wizard_tasks').insert({ id, kind, status: 'running', phase: 'Starting', started_by: actor, instance: INSTANCE });
    } catch (error) {
      const busy = await running();
      if (busy) return { started: false, reason: `${busy.kind === 'refresh' ? 'Refresh Data' : 'Applying the decisions'} is already running (${busy.phase ?? 'starting'}).`, running: busy };
      throw error;
    }
    const counts: Record<string, number> = {};
    const state = { phase: 'Starting', done: 0, total: 0, writtenAt: 0 };
    let writing: Promise<unknown> = Promise.resolve();
    const write = (force: boolean) => {
      const now = Date.now();
      if (!force && now - state.writtenAt < WRITE_INTERVAL_MS) return;
      state.writtenAt = now;
      const values = { phase: state.phase, done: state.done, total: state.total, counts: JSON.stringify(counts), heartbeat_at: new Date(now) };
      writing = writing.then(() => db('wizard_tasks').where({ id }).update(values)).catch(() => undefined);
    };
    const progress: TaskProgress = {
      phase(text, total = 0) {
        Object.assign(state, { phase: text, done: 0, total });
        write(true);
      },
      advance(done) {
        state.done = done;
        write(false);
      },
    };
    const heartbeat = setInterval(() => write(true), HEARTBEAT_MS);
    heartbeat.unref();
    const run = (async () => {
      let failure: unknown = null;
      try {
        await work(progress, counts);
      } catch (error) {
        failure = error;
      } finally {
        clearInterval(heartbeat);
      }
      await writing;
      const message = failure ? (failure instanceof Error ? failure.message : String(failure)) : null;
      await db('wizard_tasks')
        .where({ id })
        .update({ status: failure ? 'failed' : 'succeeded', phase: failure ? state.phase : 'Finished', done: state.done, total: state.total, counts: JSON.stringify(counts), error: message, finished_at: db.fn.now(), heartbeat_at: db.fn.now() });
      if (failure) onError(failure, toTask({ id, kind, status: 'failed', phase: state.phase, done: state.done, total: state.total, counts, error: message, started_by: actor, started_at: new Date() }));
    })();
    const tracked = run.catch(() => undefined).finally(() => inProcess.delete(tracked));
    inProcess.add(tracked);
    return { started: true, task: (await latest(kind)) as WizardTask };
  }

  return {
    start,
    latest,
    running,
    /** Resolves when every task this process started has finished (tests, graceful shutdown). */
    async idle(): Promise<void> {
      while (inProcess.size > 0) await Promise.all([...inProcess]);
    },
  };
}

export type TaskRunner = ReturnType<typeof createTaskRunner>;
