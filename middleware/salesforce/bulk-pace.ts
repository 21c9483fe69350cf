// When to ask Salesforce whether a Bulk API 2.0 ingest job is done. Every status check is an API call, so
// the poller waits as long as the job will plausibly take rather than on a fixed clock: before the first
// check, as long as the org's pace seen in this session predicts; after a check that shows progress, as long
// as the remaining records take at the rate seen so far; with nothing to go on, a growing interval. Pure
// decisions, no I/O: bulk-ingest.ts does the waiting.

export interface PaceOptions {
  /** The shortest wait, and the first one when nothing is known yet. */
  intervalMs: number;
  /** The longest blind wait (no progress seen): the interval grows by half up to this. */
  maxIntervalMs: number;
  /** The longest wait an estimate may ask for, so a wrong estimate costs at most this much. */
  maxEstimatedMs: number;
}

/** Estimates overshoot by this much, so the check after an estimate finds the job done, not nearly done. */
const MARGIN = 1.15;

/** Records per second this org processed in earlier jobs of the session (null until one finished). */
export interface BulkPace {
  recordsPerSecond: number | null;
}

export function createBulkPace(): BulkPace {
  return { recordsPerSecond: null };
}

export interface JobProgress {
  /** Milliseconds since the job was closed for processing. */
  elapsedMs: number;
  processed: number;
  total: number;
}

const clamp = (ms: number, options: PaceOptions) => Math.round(Math.min(Math.max(ms, options.intervalMs), options.maxEstimatedMs));

/** The wait before the first check of a job of `total` records. */
export function firstWait(pace: BulkPace, total: number, options: PaceOptions): number {
  if (!pace.recordsPerSecond || total <= 0) return options.intervalMs;
  return clamp(((total / pace.recordsPerSecond) * 1000) * MARGIN, options);
}

/** The wait before the next check, given what the last one showed and the wait before it. */
export function nextWait(progress: JobProgress, previousWaitMs: number, options: PaceOptions): number {
  const rate = observedRate(progress);
  if (rate === null) return Math.min(Math.round(previousWaitMs * 1.5), Math.max(options.maxIntervalMs, options.intervalMs));
  const remaining = Math.max(progress.total - progress.processed, 0);
  return clamp((remaining / rate) * MARGIN, options); // rate is records per millisecond
}

/** Records per millisecond so far, or null while nothing has been processed. */
function observedRate(progress: JobProgress): number | null {
  if (progress.processed <= 0 || progress.elapsedMs <= 0) return null;
  return progress.processed / progress.elapsedMs;
}

/**
 * Learns from a job that finished. The best evidence is the last check that showed progress (the rate of
 * the work itself); a job found complete at its first check only shows it took at most that long, which
 * still bounds the rate from below.
 */
export function learnPace(pace: BulkPace, lastProgress: JobProgress | null, completed: JobProgress): void {
  const fromProgress = lastProgress ? observedRate(lastProgress) : null;
  const rate = fromProgress ?? observedRate(completed);
  if (rate === null) return;
  // Records per second; a lower bound only raises an estimate we already have when it is higher.
  const perSecond = rate * 1000;
  pace.recordsPerSecond = fromProgress !== null || pace.recordsPerSecond === null ? perSecond : Math.max(pace.recordsPerSecond, perSecond);
}
