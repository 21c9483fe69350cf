// A Bulk API job's successful results handed to the caller while they download, so the caller can commit
// them meanwhile (sync/deferred.ts confirms 200k links during a 6 s download instead of after it). Only the
// leading run of successes in input order is handed over: a failed row may still be retried (a job run
// again, a locked row written again), so it and everything after it come with the writer's full results.
import type { IngestOutcome, IngestRow, RowSource } from './bulk-ingest.ts';
import type { UpsertResult, WriteError } from './writer.ts';

/** Takes a batch of results, in input order; the next batch waits until this one is taken. */
export type ResultSink = (batch: readonly UpsertResult[]) => Promise<void>;

/** Shared by every successful result: 200,000 of them need no array each. */
export const NO_ERRORS: WriteError[] = Object.freeze([]) as unknown as WriteError[];

const BATCH = 1000;

export function emptyOutcome(): IngestOutcome {
  return { succeeded: new Map(), created: new Set(), failed: new Map(), everyRowSucceeded: false };
}

/** The outcome of the job attempt under way, filled as its results download, and who waits for more. */
export class LiveOutcome {
  current: IngestOutcome = emptyOutcome();
  private finished = false;
  private waiters: Array<() => void> = [];

  /** A new attempt (a job run again) starts from nothing: results handed over already stay valid. */
  attempt(): IngestOutcome {
    this.current = emptyOutcome();
    this.changed();
    return this.current;
  }

  changed(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** No more results will come (the job is done, or given up). */
  finish(): void {
    this.finished = true;
    this.changed();
  }

  /** The Salesforce Id of a key known to have succeeded; undefined once it is clear none will come. */
  async succeededId(key: string): Promise<string | undefined> {
    for (;;) {
      const id = this.current.succeeded.get(key);
      if (id !== undefined || this.finished) return id;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

/** Hands the leading successful results, in input order, to the sink as they become known. */
export async function streamSucceededPrefix(source: RowSource<IngestRow>, live: LiveOutcome, sink: ResultSink): Promise<void> {
  let batch: UpsertResult[] = [];
  for await (const row of source.rows()) {
    const id = await live.succeededId(row.key);
    if (id === undefined) break; // not a success (yet final): the rest comes with the full results
    batch.push({ externalId: row.key, success: true, id, created: live.current.created.has(row.key), errors: NO_ERRORS });
    if (batch.length >= BATCH) {
      await sink(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await sink(batch);
}
