// Matching spread over CPU cores: the left records are split into chunks, each chunk is blocked and scored
// against the whole right side in its own thread (the main thread takes one chunk), and the one-to-one
// assignment runs over all suggestions at the end. Same result as `matchNormalized`, in less wall time.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { assertUniqueIds, statsForBothSides, suggestInMemory, type InMemoryMatchOptions } from './in-memory.ts';
import { withAssignment, type LeftSuggestions, type MatchResult } from './match.ts';
import { validateMatchSettings, type MatchSettings } from './score.ts';
import type { NormalizedRecord } from './types.ts';
import type { MatchWorkerInput } from './match-worker.ts';

export interface ParallelMatchOptions extends InMemoryMatchOptions {
  /** Threads to use, the main thread included (default: the CPUs available). */
  readonly threads?: number;
}

/** Below this many left records per thread, starting a thread costs more than it saves. */
const MIN_RECORDS_PER_THREAD = 2000;

export async function matchNormalizedInParallel(left: readonly NormalizedRecord[], right: readonly NormalizedRecord[], settings: MatchSettings, options: ParallelMatchOptions = {}): Promise<MatchResult> {
  validateMatchSettings(settings);
  assertUniqueIds(left, 'left');
  assertUniqueIds(right, 'right');
  const requested = options.threads ?? availableParallelism();
  if (!Number.isInteger(requested) || requested < 1) throw new RangeError(`threads must be a whole number ≥ 1, got ${String(requested)}`);
  const threads = Math.max(1, Math.min(requested, Math.floor(left.length / MIN_RECORDS_PER_THREAD)));
  const stats = options.stats ?? statsForBothSides(left, right);
  const { blocking, explain } = options;
  const chunkSize = Math.ceil(left.length / threads);
  const chunks = Array.from({ length: threads }, (_, i) => left.slice(i * chunkSize, (i + 1) * chunkSize));
  const [own = [], ...others] = chunks;
  const workers = others.map((chunk) => startWorker({ left: chunk, right, settings, stats, blocking, explain }));
  try {
    const mine = suggestInMemory(own, right, settings, { stats, blocking, explain });
    const theirs = await Promise.all(workers.map((running) => running.result));
    return withAssignment([mine, ...theirs].flat(), settings.threshold);
  } finally {
    // On success they have exited already; on failure none is left running.
    await Promise.all(workers.map((running) => running.worker.terminate()));
  }
}

interface RunningWorker {
  readonly worker: Worker;
  readonly result: Promise<LeftSuggestions[]>;
}

function startWorker(input: MatchWorkerInput): RunningWorker {
  // Workers run TypeScript through tsx like the rest of the project.
  const worker = new Worker(new URL('./match-worker.ts', import.meta.url), { workerData: input, execArgv: ['--import', 'tsx'] });
  const result = new Promise<LeftSuggestions[]>((resolve, reject) => {
    worker.once('message', (suggestions: LeftSuggestions[]) => resolve(suggestions));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`Matching worker stopped with exit code ${code} before answering`)));
  });
  // A failure on the main thread's own chunk must not leave this rejection unhandled.
  result.catch(() => undefined);
  return { worker, result };
}
