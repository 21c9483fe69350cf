// The deal import as a job: what the scheduler (hourly, under its advisory lock) and the Sync Manager's
// "Run Full Sync Now" call. Gating (global toggle, API budget), the run record with counts and API calls,
// progress while it runs, the closing log row — around importDeals, which does the work.
import type { Db } from '../db/knex.ts';
import { logRow, type LogRow } from '../log/catalogue.ts';
import { writeLog } from '../log/repository.ts';
import type { SalesforceSession } from '../salesforce/connection.ts';
import { ApiLimitExceededError, SessionRefreshFailedError } from '../salesforce/retry.ts';
import { checkApiBudget } from '../sync/budget.ts';
import { runsRepository, type RunStatus } from '../sync/runs.ts';
import { describeDealCounts, emptyDealCounts, importDeals, type DealImportCounts, type DealImportMode, type DealImportProgress, type PlannedDeal } from '../deals/importer.ts';
import type { DealImportPlan } from '../deals/plan.ts';

export const DEAL_IMPORT_JOB = 'deals';

export interface DealImportRunOptions {
  mode: DealImportMode;
  /** Reads and judges, writes nothing anywhere (no deals, no write-back, no cursor, no run record, no log). */
  dryRun?: boolean;
  /** Started by an admin: not held back by the API budget. */
  interactive?: boolean;
  /** The scheduler's progress callback: phase and opportunities read so far. */
  onProgress?: (phase: string, done: number) => void;
  /** Richer progress for the command line. */
  onPageDone?: (progress: DealImportProgress) => void;
  now?: () => Date;
  /** Query page size, 200..2000 (default 2000). */
  batchSize?: number;
}

export interface DealImportSummary {
  runId: string | null;
  status: RunStatus;
  mode: DealImportMode;
  dryRun: boolean;
  counts: DealImportCounts;
  /** Deals created or updated (the scheduler's metric). */
  recordsSynced: number;
  /** Opportunities not imported plus refused write-backs. */
  errors: number;
  apiCalls: number;
  apiCallsByEndpoint: Record<string, number>;
  durationMs: number;
  /** Dry runs: what would happen to each opportunity (the first ones). */
  planned: PlannedDeal[];
  error: string | null;
}

class BudgetPause extends Error {
  override name = 'BudgetPause';
  constructor(
    readonly used: number,
    readonly limit: number,
  ) {
    super(`Salesforce API usage ${used}/${limit} is above the share prm-sync may use`);
  }
}

export async function runDealImport(db: Db, openSession: () => Promise<SalesforceSession>, plan: DealImportPlan, options: DealImportRunOptions): Promise<DealImportSummary> {
  const started = Date.now();
  const dryRun = options.dryRun ?? false;
  const interactive = options.interactive ?? false;
  const runId = dryRun ? null : await runsRepository.start(db, DEAL_IMPORT_JOB, options.mode);
  const log: LogRow[] = [];
  let counts = emptyDealCounts();
  let planned: PlannedDeal[] = [];
  let session: SalesforceSession | null = null;
  let ledgerBefore: Record<string, number> = {};
  let status: RunStatus = 'succeeded';
  let error: string | null = null;

  if (!plan.enabled) {
    status = 'skipped';
    log.push(logRow('SYNC_DISABLED', { job: DEAL_IMPORT_JOB }, { runId }));
  } else {
    try {
      const budget = checkApiBudget({
        orgUsage: await runsRepository.lastOrgUsage(db),
        ownCallsLast24h: await runsRepository.apiCallsLast24h(db),
        ownDailyShare: plan.budget.ownDailyShare,
        pauseAtOrgShare: plan.budget.pauseAtOrgShare,
        interactive,
      });
      if (!budget.allowed) throw new BudgetPause(budget.used, budget.limit);
      options.onProgress?.('connecting', 0);
      session = await openSession();
      ledgerBefore = session.ledger.counts();
      const open = session;
      const result = await importDeals({
        db,
        session: open,
        plan,
        mode: options.mode,
        dryRun,
        runId,
        now: options.now ?? (() => new Date()),
        batchSize: options.batchSize,
        onProgress: async (progress) => {
          counts = progress.counts;
          options.onProgress?.('opportunities', progress.counts.read);
          options.onPageDone?.(progress);
          if (runId) await runsRepository.progress(db, runId, { phase: 'opportunities', done: progress.counts.read, total: progress.total, ...progress.counts });
        },
        checkBudget: () => {
          const usage = open.ledger.lastUsage;
          if (!interactive && usage && usage.used >= usage.limit * plan.budget.pauseAtOrgShare) throw new BudgetPause(usage.used, usage.limit);
        },
      });
      counts = result.counts;
      planned = result.planned;
    } catch (failure) {
      ({ status, error } = classifyFailure(failure, runId, log));
    }
  }

  const byEndpoint = session ? ledgerDelta(ledgerBefore, session.ledger.counts()) : {};
  const apiCalls = Object.entries(byEndpoint).reduce((sum, [label, n]) => (label.startsWith('oauth') ? sum : sum + n), 0);
  if (runId) {
    if (status !== 'skipped') log.push(logRow('RUN_FINISHED', { job: DEAL_IMPORT_JOB, summary: describeDealCounts(counts, apiCalls) }, { runId }));
    await writeLog(db, log);
    const usage = session?.ledger.lastUsage ?? null;
    await runsRepository.finish(db, runId, {
      status,
      counts: { ...counts, ...(usage ? { orgApiUsed: usage.used, orgApiLimit: usage.limit } : {}) },
      apiCalls,
      byEndpoint,
      error,
    });
  }
  return {
    runId,
    status,
    mode: options.mode,
    dryRun,
    counts,
    recordsSynced: counts.created + counts.updated,
    errors: counts.ineligible + counts.writeBackFailures,
    apiCalls,
    apiCallsByEndpoint: byEndpoint,
    durationMs: Date.now() - started,
    planned,
    error,
  };
}

/** A session may be reused across runs: the run's calls are what its ledger gained meanwhile. */
function ledgerDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [label, count] of Object.entries(after)) {
    const delta = count - (before[label] ?? 0);
    if (delta > 0) out[label] = delta;
  }
  return out;
}

function classifyFailure(failure: unknown, runId: string | null, log: LogRow[]): { status: RunStatus; error: string } {
  if (failure instanceof BudgetPause) {
    const share = failure.limit ? `${Math.round((failure.used / failure.limit) * 100)} %` : 'unknown';
    log.push(logRow('API_LIMIT_NEAR', { used: failure.used, limit: failure.limit, share }, { runId }));
    return { status: 'paused', error: failure.message };
  }
  if (failure instanceof ApiLimitExceededError) {
    log.push(logRow('API_LIMIT_EXCEEDED', {}, { runId }));
    return { status: 'paused', error: failure.message };
  }
  const message = failure instanceof Error ? failure.message.replace(/^Unable to refresh session due to: /, '') : String(failure);
  if (failure instanceof SessionRefreshFailedError || (failure instanceof Error && failure.cause instanceof SessionRefreshFailedError)) {
    log.push(logRow('SESSION_REFRESH_FAILED', { reason: message }, { runId }));
    return { status: 'failed', error: message };
  }
  log.push(logRow('RUN_FAILED', { job: DEAL_IMPORT_JOB, reason: message }, { runId, details: { stack: failure instanceof Error ? failure.stack?.split('\n').slice(0, 6) : undefined } }));
  return { status: 'failed', error: message };
}
