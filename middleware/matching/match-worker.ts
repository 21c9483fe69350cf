// Thread entry for parallel.ts: suggestions for one chunk of left records, posted back to the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import type { BlockingOptions } from './blocking.ts';
import { suggestInMemory } from './in-memory.ts';
import type { MatchSettings } from './score.ts';
import type { TokenStats } from './token-stats.ts';
import type { NormalizedRecord } from './types.ts';

export interface MatchWorkerInput {
  readonly left: readonly NormalizedRecord[];
  readonly right: readonly NormalizedRecord[];
  readonly settings: MatchSettings;
  readonly stats: TokenStats;
  readonly blocking?: BlockingOptions;
  readonly explain?: boolean;
}

if (parentPort) {
  const { left, right, settings, stats, blocking, explain } = workerData as MatchWorkerInput;
  parentPort.postMessage(suggestInMemory(left, right, settings, { stats, blocking, explain }));
}
