// When to ask Salesforce whether a Bulk API 2.0 ingest job is done. Every status check is an API call, and
// every moment a finished job waits for its check is wall time, so the poller aims its checks where the
// job will plausibly finish: before the first check, half way through what the org's pace seen in this
// session predicts (a pace learned on another object is a guess, and one early check turns it into this
// job's own rate); after checks that show progress, when the remaining records are done at the rate this
// job shows; with nothing to go on, a growing interval. Pure decisions, no I/O: bulk-ingest.ts waits.

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
  // Objects differ (an org may take contacts twice as fast as accounts): check half way, not at the end.
  return clamp(((total / pace.recordsPerSecond) * 1000) / 2, options);
}

/**
 * The wait before the next check, given what the last check showed, the progress an earlier check of the
 * same job showed (if any) and the wait before it.
 */
export function nextWait(progress: JobProgress, previousWaitMs: number, options: PaceOptions, earlier: JobProgress | null = null): number {
  const between = earlier ? rateBetween(earlier, progress) : null;
  const rate = between ?? observedRate(progress);
  if (rate === null) return Math.min(Math.round(previousWaitMs * 1.5), Math.max(options.maxIntervalMs, options.intervalMs));
  const remaining = Math.max(progress.total - progress.processed, 0);
  const estimate = (remaining / rate) * MARGIN; // rate is records per millisecond
  // One check's rate since the job was closed counts the job's start-up (queueing, a cold server) as if it
  // were the work: early in a job, an upper bound on the time left. Half of it, then the rate between two
  // checks; once half the job is done, the start-up weighs little.
  const early = between === null && progress.processed < progress.total / 2;
  return clamp(early ? estimate / 2 : estimate, options);
}

/** Records per millisecond between two checks of the same job, or null without progress between them. */
function rateBetween(earlier: JobProgress, later: JobProgress): number | null {
  const processed = later.processed - earlier.processed;
  const elapsed = later.elapsedMs - earlier.elapsedMs;
  return processed > 0 && elapsed > 0 ? processed / elapsed : null;
}

/** Records per millisecond so far, or null while nothing has been processed. */
function observedRate(progress: JobProgress): number | null {
  if (progress.processed <= 0 || progress.elapsedMs <= 0) return null;
  return progress.processed / progress.elapsedMs;
}

/**
 * Learns from a job that finished. The best evidence is the processing time Salesforce reports for the job
 * (`totalProcessingTime`); without it, the last check that showed progress (the rate of the work itself);
 * a job found complete at its first check only shows it took at most that long, which still bounds the
 * rate from below.
 */
export function learnPace(pace: BulkPace, lastProgress: JobProgress | null, completed: JobProgress, processingMs?: number): void {
  if (processingMs !== undefined && processingMs > 0 && completed.processed > 0) {
    pace.recordsPerSecond = (completed.processed / processingMs) * 1000;
    return;
  }
  const fromProgress = lastProgress ? observedRate(lastProgress) : null;
  const rate = fromProgress ?? observedRate(completed);
  if (rate === null) return;
  // Records per second; a lower bound only raises an estimate we already have when it is higher.
  const perSecond = rate * 1000;
  pace.recordsPerSecond = fromProgress !== null || pace.recordsPerSecond === null ? perSecond : Math.max(pace.recordsPerSecond, perSecond);
}
