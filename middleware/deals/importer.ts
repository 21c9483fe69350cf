// Opportunity → deal registration import (spec §8), page by page: read a page of opportunities (one SOQL
// with the primary contact role as a subquery), resolve the PRM side for the whole page in three queries,
// judge each opportunity (pure rules), save the eligible ones in one transaction, log one row per failed
// rule, queue the write-backs (deal id, URL) across pages (one Bulk API job at volume), then advance the
// cursor.
// A crash anywhere is safe: saves are idempotent by sf_opportunity_id, and every write-back is pending on
// the deal's link from the page's commit until Salesforce confirms it; the next run sends what is pending.
import type { Db } from '../db/knex.ts';
import { logRow, type LogCode, type LogParams, type LogRow } from '../log/catalogue.ts';
import { writeLog } from '../log/repository.ts';
import type { SalesforceSession } from '../salesforce/connection.ts';
import { streamQuery } from '../salesforce/query.ts';
import { advanceDealCursor, advanceDealSeenUntil, readDealStart } from './cursor.ts';
import { loadDirectory } from './directory.ts';
import { judgeOpportunity, type RuleFailure } from './eligibility.ts';
import { opportunityQuery, parseOpportunity, type ReadOpportunity } from './opportunities.ts';
import { ensureDealLinks } from './links.ts';
import type { DealImportPlan } from './plan.ts';
import { previewDeals, saveDeals, type DealOutcome, type DealWrite, type DealWriteResult } from './store.ts';
import { planWriteBack, retryPendingWriteBacks, sendWriteBacks, WRITE_BACK_BATCH, type WriteBackItem } from './writeback.ts';

export type DealImportMode = 'incremental' | 'full';

export interface DealImportCounts {
  pages: number;
  /** Opportunities read (candidates: a PRM checkbox ticked, or imported before). */
  read: number;
  eligible: number;
  ineligible: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Opportunities given their deal id and URL (in a dry run: that would be). */
  writeBacks: number;
  writeBackFailures: number;
  /** Log rows for failed rules (one per rule per opportunity). */
  failedRules: number;
}

export interface DealImportProgress {
  counts: DealImportCounts;
  /** Opportunities the query matched, from Salesforce's totalSize. */
  total: number;
}

/** What a dry run would do with one opportunity (kept for the first MAX_PLANNED only). */
export interface PlannedDeal {
  opportunityId: string;
  opportunity: string;
  outcome: DealOutcome | 'ineligible';
  codes: LogCode[];
}

export interface DealImportInput {
  db: Db;
  session: SalesforceSession;
  plan: DealImportPlan;
  mode: DealImportMode;
  dryRun: boolean;
  runId: string | null;
  now: () => Date;
  onProgress?: (progress: DealImportProgress) => void | Promise<void>;
  /** Called after every page; throws to stop the run (API budget). */
  checkBudget?: () => void;
  /** Query page size, 200..2000 (Salesforce's default and maximum is 2000). */
  batchSize?: number;
  /** Import just these opportunities now (a deal's Sync Now): no retry pass, the cursor stays put. */
  onlyOpportunityIds?: readonly string[];
}

export interface DealImportResult {
  counts: DealImportCounts;
  planned: PlannedDeal[];
}

export const MAX_PLANNED = 1000;
const LOG_OBJECT = 'deal';

export function emptyDealCounts(): DealImportCounts {
  return { pages: 0, read: 0, eligible: 0, ineligible: 0, created: 0, updated: 0, unchanged: 0, writeBacks: 0, writeBackFailures: 0, failedRules: 0 };
}

export async function importDeals(input: DealImportInput): Promise<DealImportResult> {
  const { db, session, plan } = input;
  const counts = emptyDealCounts();
  const planned: PlannedDeal[] = [];
  const single = input.onlyOpportunityIds !== undefined;
  const since = input.mode === 'full' || single ? null : await readDealStart(db, plan.overlapMs);
  let queriedAt: Date | null | undefined;
  let total = 0;

  // Write-backs not confirmed by earlier runs go first: their values come from the deal alone.
  let retried = new Set<string>();
  if (!input.dryRun && !single) {
    const retry = await retryPendingWriteBacks(db, session, plan, { runId: input.runId, now: input.now() });
    counts.writeBacks += retry.sent;
    counts.writeBackFailures += retry.failed;
    if (input.runId) await writeLog(db, retry.log);
    retried = retry.opportunityIds;
  }

  // Write-backs wait here across pages, each marked pending on its link in its page's transaction (a
  // crash before sending loses nothing), and go out together: one Bulk API job above the writer's
  // threshold (an import of 10,000 opportunities writes back in one job, not 50 collections calls),
  // full collections calls below it. The queue is bounded, so memory stays flat on any volume.
  const queue: WriteBackItem[] = [];
  const flush = async (all: boolean) => {
    if (!all && queue.length < WRITE_BACK_BATCH) return;
    const sent = await sendWriteBacks(db, session, queue.splice(0, queue.length), { runId: input.runId, now: input.now() });
    counts.writeBacks += sent.sent;
    counts.writeBackFailures += sent.failed;
    if (input.runId) await writeLog(db, sent.log);
  };

  for await (const page of streamQuery(session, opportunityQuery(plan, since, input.onlyOpportunityIds), { batchSize: input.batchSize })) {
    total = Math.max(total, page.totalSize);
    queriedAt ??= page.serverTime;
    counts.pages += 1;
    const opportunities = page.records.map((record) => parseOpportunity(record, plan));
    counts.read += opportunities.length;
    const byId = new Map(opportunities.map((o) => [o.id, o]));

    const directory = await loadDirectory(db, opportunities);
    const writes: DealWrite[] = [];
    const log: LogRow[] = [];
    for (const opportunity of opportunities) {
      const judgement = judgeOpportunity(opportunity, directory, plan);
      if (judgement.eligible) {
        writes.push({ opportunityId: opportunity.id, values: judgement.values });
        continue;
      }
      counts.ineligible += 1;
      counts.failedRules += judgement.failures.length;
      log.push(...judgement.failures.map((failure) => failureRow(failure, opportunity, input.runId)));
      if (input.dryRun) rememberPlanned(planned, opportunity, 'ineligible', judgement.failures.map((f) => f.code));
    }
    counts.eligible += writes.length;

    const writeBacksFor = (saved: readonly DealWriteResult[]): WriteBackItem[] =>
      saved.flatMap((result) => {
        const item = planWriteBack(byId.get(result.opportunityId) as ReadOpportunity, result, plan, input.now());
        // Retried at the start of this run already: one attempt per run unless the deal changed since.
        return item && !(retried.has(item.opportunityId) && result.outcome === 'unchanged') ? [item] : [];
      });
    const { saved, writeBacks } = input.dryRun
      ? await previewDeals(db, writes).then((preview) => ({ saved: preview, writeBacks: writeBacksFor(preview) }))
      : await db.transaction(async (trx) => {
          const results = await saveDeals(trx, writes);
          const items = writeBacksFor(results);
          await ensureDealLinks(trx, results, new Set(items.map((item) => item.dealId)));
          return { saved: results, writeBacks: items };
        });
    for (const result of saved) {
      counts[result.outcome] += 1;
      if (input.dryRun) rememberPlanned(planned, byId.get(result.opportunityId) as ReadOpportunity, result.outcome, []);
    }

    if (input.dryRun) counts.writeBacks += writeBacks.length;
    else {
      if (input.runId) await writeLog(db, log);
      queue.push(...writeBacks);
      await flush(false);
      // Past this page: its deals are saved, its write-backs sent or pending on their links.
      const last = opportunities.at(-1);
      if (last && !single) await advanceDealCursor(db, last.modstamp);
    }
    await input.onProgress?.({ counts: { ...counts }, total });
    input.checkBudget?.();
  }
  if (!input.dryRun) await flush(true);
  // Every page went through: later runs need not re-read what this query saw, less the overlap.
  if (!input.dryRun && !single && queriedAt) await advanceDealSeenUntil(db, queriedAt, plan.overlapMs);
  return { counts, planned };
}

function failureRow(failure: RuleFailure, opportunity: ReadOpportunity, runId: string | null): LogRow {
  return logRow(failure.code, failure.params as LogParams<typeof failure.code>, {
    runId,
    object: LOG_OBJECT,
    sfId: opportunity.id,
    details: { opportunity: opportunity.name, ...failure.params },
  });
}

function rememberPlanned(planned: PlannedDeal[], opportunity: ReadOpportunity, outcome: PlannedDeal['outcome'], codes: LogCode[]): void {
  if (planned.length < MAX_PLANNED) planned.push({ opportunityId: opportunity.id, opportunity: opportunity.name, outcome, codes });
}

/** One line for the run record and the log: what the run did. */
export function describeDealCounts(counts: DealImportCounts, apiCalls: number): string {
  return [
    `${counts.read} opportunities read`,
    `${counts.eligible} eligible`,
    `${counts.created} deals created`,
    `${counts.updated} updated`,
    `${counts.unchanged} unchanged`,
    `${counts.ineligible} not eligible (${counts.failedRules} failed rules)`,
    `${counts.writeBacks} written back to Salesforce${counts.writeBackFailures ? ` (${counts.writeBackFailures} refused)` : ''}`,
    `${apiCalls} API calls`,
  ].join(', ');
}
