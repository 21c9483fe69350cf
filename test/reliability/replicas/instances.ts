// The instances a replicas test runs, seen the same way whatever they are: separate processes on one
// PostgreSQL (replica-process.ts, which the test can SIGKILL), or — PGlite being one process by nature —
// scheduler instances side by side in the test's own process on one PGlite database. Each keeps the
// scheduler events it reported, in order.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { REPLICA_SETTINGS_VARIABLE, startReplica, type ReplicaEvent, type ReplicaSettings } from './replica.ts';

export interface Instance {
  name: string;
  events: ReplicaEvent[];
  /** Whether its last run of `job` started and has not finished. */
  holding(job: string): boolean;
  stop(): Promise<void>;
  /** SIGKILL (processes only): resolves once the process is gone. */
  kill(): Promise<void>;
  /** Why it stopped on its own, if it did (a crash). */
  failure(): string | null;
}

function holdingIn(events: readonly ReplicaEvent[], job: string): boolean {
  const last = events.filter((e) => e.job === job && e.event !== 'busy').at(-1);
  return last?.event === 'run-started';
}

const PROCESS = fileURLToPath(new URL('./replica-process.ts', import.meta.url));

/** Starts a replica process and waits until its scheduler is up. */
export async function spawnReplica(settings: ReplicaSettings): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', PROCESS], {
    env: { ...process.env, [REPLICA_SETTINGS_VARIABLE]: JSON.stringify(settings) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const events: ReplicaEvent[] = [];
  let stderr = '';
  let failure: string | null = null;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line) as Record<string, unknown>;
      } catch {
        stderr += `${line}\n`;
        continue;
      }
      if (event.event === 'ready') markReady();
      else if (event.event === 'error') failure = String(event.message);
      else if (event.event !== 'stopped') events.push(event as unknown as ReplicaEvent);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  void exited.then(() => {
    failure ??= child.signalCode === 'SIGKILL' || child.exitCode === 0 ? null : `exited with ${String(child.exitCode ?? child.signalCode)}: ${stderr.slice(-1500)}`;
    markReady();
  });
  await ready;
  if (failure) throw new Error(`replica ${settings.name} did not start: ${String(failure)}`);
  return {
    name: settings.name,
    events,
    holding: (job) => holdingIn(events, job),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.stdin.end('stop\n');
      await exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    failure: () => failure,
  };
}

/** A scheduler instance in this process, on the database handle the test holds. */
export function inProcessInstance(db: Knex, settings: ReplicaSettings): Instance {
  const events: ReplicaEvent[] = [];
  const replica = startReplica(db, settings.database.kind, settings, (event) => events.push(event));
  return {
    name: settings.name,
    events,
    holding: (job) => holdingIn(events, job),
    stop: () => replica.stop(),
    kill: () => Promise.reject(new Error('an instance in the test process cannot be killed on its own')),
    failure: () => null,
  };
}

/** Polls `condition` every 25 ms until it holds; false after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return condition();
}
