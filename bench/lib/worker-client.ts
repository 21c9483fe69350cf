// Starts a prm-sync worker process (bench/worker/main.ts) and sends it commands one at a time. Each
// measured sync runs in a fresh worker, so that its memory figures hold prm-sync alone — not the emulated
// org (which lives in the orchestrator, like Salesforce lives elsewhere) and not the data generator.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Measured, WorkerCommand, WorkerReply, WorkerRequest, WorkerResult } from '../worker/protocol.ts';

const WORKER_ENTRY = fileURLToPath(new URL('../worker/main.ts', import.meta.url));
const STOP_TIMEOUT_MS = 30_000;

/**
 * The V8 flags the service runs with (package.json `serve`, `start`, `sync`), so that the bench measures
 * that process. A young generation of 32 MB lets the sync's page-sized batches die young instead of being
 * promoted and collected by full GCs: a third less CPU in an initial sync of 100k accounts. A heap that
 * grows by 40 % over what survived the last full GC, instead of V8's up to 4× on a machine with memory to
 * spare: an initial sync of 100k accounts keeps about 100 MB alive, yet its heap reached 450 MB of
 * garbage between full GCs (--trace-gc); now about 200 MB, for some 40 more full GCs (well under 1 s).
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=32', '--heap-growing-percent=40'];

export interface WorkerRun<R> {
  result: R;
  measured: Measured;
}

export interface WorkerHandle {
  readonly pid: number;
  run<C extends WorkerCommand>(command: C): Promise<WorkerRun<WorkerResult<C['op']>>>;
  /** Closes the database and lets the process end (writing its CPU profile, when one was asked for). */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  /** Write a V8 CPU profile named `<label>.cpuprofile` into this folder when the worker ends. */
  cpuProfileDir?: string;
  label: string;
}

export async function startWorker(options: WorkerOptions): Promise<WorkerHandle> {
  const execArgv = [...SERVICE_NODE_FLAGS, '--import', 'tsx'];
  // Diagnostics, e.g. BENCH_WORKER_FLAGS='--trace-gc': extra Node flags for the measured processes only.
  if (process.env.BENCH_WORKER_FLAGS) execArgv.push(...process.env.BENCH_WORKER_FLAGS.split(/\s+/).filter(Boolean));
  if (options.cpuProfileDir) {
    mkdirSync(options.cpuProfileDir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, `--cpu-prof-name=${options.label.replace(/[^\w.-]+/g, '_')}.cpuprofile`);
  }
  const child = fork(WORKER_ENTRY, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited = false;

  const ready = new Promise<void>((resolve, reject) => {
    pending.set(0, { resolve: () => resolve(), reject });
  });
  child.on('message', (reply: WorkerReply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    waiter?.resolve(reply);
  });
  child.on('exit', (code, signal) => {
    exited = true;
    for (const waiter of pending.values()) waiter.reject(new Error(`The prm-sync worker (${options.label}) ended (${signal ?? `exit ${code}`}) before answering.`));
    pending.clear();
  });
  await ready;

  return {
    pid: child.pid ?? -1,
    async run<C extends WorkerCommand>(command: C): Promise<WorkerRun<WorkerResult<C['op']>>> {
      if (exited) throw new Error(`The prm-sync worker (${options.label}) is not running.`);
      const id = nextId++;
      const reply = await new Promise<WorkerReply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, command } satisfies WorkerRequest);
      });
      if (!reply.ok) throw new Error(`Worker command "${command.op}" failed: ${reply.error}`);
      return { result: reply.result as WorkerResult<C['op']>, measured: reply.measured };
    },
    stop: () => stopWorker(child, () => exited, async () => {
      const id = nextId++;
      await new Promise<WorkerReply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, command: { op: 'close' } } satisfies WorkerRequest);
      });
    }),
  };
}

async function stopWorker(child: ChildProcess, hasExited: () => boolean, close: () => Promise<void>): Promise<void> {
  if (hasExited()) return;
  await close().catch(() => undefined);
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.disconnect();
  const timer = setTimeout(() => {
    if (!hasExited()) child.kill('SIGKILL');
  }, STOP_TIMEOUT_MS);
  await ended;
  clearTimeout(timer);
}
