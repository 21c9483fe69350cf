// Starts the child process and kills it with SIGKILL at a chosen point: after a delay, when the emulated org
// receives the n-th request of some kind (the request is still carried out — the child dies before it can
// commit what Salesforce did), or (inside the child) right after its n-th Salesforce write call returned.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunningEmulator } from '../../sf-emulator/index.ts';
import type { RequestInfo } from '../../sf-emulator/http/faults.ts';
import { CHILD_SETTINGS_VARIABLE, type ChildSettings } from './protocol.ts';

export type KillPoint =
  | { kind: 'none' }
  | { kind: 'afterWrites'; writes: number }
  | { kind: 'atRequest'; label: RegExp; nth: number }
  | { kind: 'afterDelay'; ms: number };

export interface ChildOutcome {
  killed: boolean;
  /** Completed its work (a quiet cycle, or the deal import finished). */
  done: boolean;
  events: Array<Record<string, unknown>>;
  stderr: string;
  durationMs: number;
}

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

export function describeKillPoint(point: KillPoint): string {
  switch (point.kind) {
    case 'none':
      return 'no kill';
    case 'afterWrites':
      return `right after Salesforce write call ${point.writes} returned, before the PRM commit`;
    case 'atRequest':
      return `when request ${point.nth} matching ${point.label.source} reaches Salesforce`;
    case 'afterDelay':
      return `${point.ms} ms after start`;
  }
}

/** Lets the supervisor watch requests arriving at the emulated org (installed once per emulator). */
export function watchRequests(emulator: RunningEmulator): { set(listener: ((request: RequestInfo) => void) | null): void } {
  const faults = emulator.faults as typeof emulator.faults & { __watch?: { listener: ((request: RequestInfo) => void) | null } };
  if (!faults.__watch) {
    const watch = { listener: null as ((request: RequestInfo) => void) | null };
    const decide = faults.decide.bind(faults);
    faults.decide = (request) => {
      watch.listener?.(request);
      return decide(request);
    };
    faults.__watch = watch;
  }
  const watch = faults.__watch;
  return { set: (listener) => (watch.listener = listener) };
}

export async function runChild(settings: Omit<ChildSettings, 'crashAfterWrites'>, point: KillPoint, emulator: RunningEmulator): Promise<ChildOutcome> {
  const started = Date.now();
  const full: ChildSettings = { ...settings, crashAfterWrites: point.kind === 'afterWrites' ? point.writes : 0 };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, [CHILD_SETTINGS_VARIABLE]: JSON.stringify(full) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: Array<Record<string, unknown>> = [];
  let stderr = '';
  let killedByUs = false;
  const kill = () => {
    if (killedByUs || child.exitCode !== null) return;
    killedByUs = true;
    child.kill('SIGKILL');
  };
  const watcher = watchRequests(emulator);
  let seen = 0;
  if (point.kind === 'atRequest') {
    watcher.set((request) => {
      if (!point.label.test(request.label)) return;
      seen += 1;
      if (seen === point.nth) kill();
    });
  }
  let timer: NodeJS.Timeout | undefined;
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        const event = JSON.parse(line) as Record<string, unknown>;
        events.push(event);
        if (event.event === 'started' && point.kind === 'afterDelay') timer = setTimeout(kill, point.ms);
      } catch {
        stderr += `${line}\n`;
      }
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
  clearTimeout(timer);
  watcher.set(null);
  const done = events.some((e) => e.event === 'done' && e.quiet === true);
  return { killed: signal === 'SIGKILL', done, events, stderr, durationMs: Date.now() - started };
}
