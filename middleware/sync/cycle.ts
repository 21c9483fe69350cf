// A sync run from start to end: gating (global toggle, wizard, API budget), the run record, organizations
// then contacts, and a summary. The CRM connection is opened only when there is work to do, so a switched-off
// integration makes no API call at all.
import type { Db } from '../db/knex.ts';
import { logRow } from '../log/catalogue.ts';
import { writeLog } from '../log/repository.ts';
import { ApiLimitExceededError, SessionRefreshFailedError } from '../salesforce/retry.ts';
import { checkApiBudget } from './budget.ts';
import { emptyCounts, type PlannedChange, type SyncContext, type SyncCounts } from './context.ts';
import type { CrmAdapter } from './crm.ts';
import { syncObject, type PassMode } from './object-pass.ts';
import type { SyncObject, SyncPlan } from './plan.ts';
import { runsRepository, type RunStatus } from './runs.ts';

export interface CycleOptions {
  mode: PassMode;
  dryRun?: boolean;
  objects?: readonly SyncObject[];
  /** Admin-triggered: not held back by the own-share budget or the pause threshold. */
  interactive?: boolean;
  onProgress?: (phase: string, done: number) => void;
  /** Told the run record's id as soon as it exists (the scheduler writes progress to it). */
  onRunStarted?: (runId: string) => void;
  now?: () => Date;
}

export interface CycleSummary {
  runId: string | null;
  status: RunStatus;
  counts: SyncCounts;
  apiCalls: number;
  apiCallsByEndpoint: Record<string, number>;
  planned: PlannedChange[];
  error: string | null;
}

export class BudgetPause extends Error {
  override name = 'BudgetPause';
}

export const SYNC_JOB = 'accounts_contacts';

export async function runSyncCycle(db: Db, openCrm: () => Promise<CrmAdapter>, plan: SyncPlan, options: CycleOptions): Promise<CycleSummary> {
  const skipped = (code: 'SYNC_DISABLED' | 'WIZARD_NOT_COMPLETED') => skipRun(db, code, options);
  if (!plan.enabled) return skipped('SYNC_DISABLED');
  if (!plan.wizardCompleted) return skipped('WIZARD_NOT_COMPLETED');

  const interactive = options.interactive ?? false;
  const budgetCheck = async (usage: { used: number; limit: number } | null) =>
    checkApiBudget({
      orgUsage: usage,
      ownCallsLast24h: await runsRepository.apiCallsLast24h(db),
      ownDailyShare: plan.budget.ownDailyShare,
      pauseAtOrgShare: plan.budget.pauseAtOrgShare,
      interactive,
    });
  const runId = options.dryRun ? null : await runsRepository.start(db, SYNC_JOB, options.mode);
  if (runId) options.onRunStarted?.(runId);
  const ctx: Omit<SyncContext, 'crm'> = {
    db,
    plan,
    runId,
    dryRun: options.dryRun ?? false,
    counts: emptyCounts(),
    log: [],
    planned: [],
    newlyLinkedAccounts: new Set(),
    onProgress: options.onProgress,
    now: options.now ?? (() => new Date()),
  };
  let crm: CrmAdapter | null = null;
  let status: RunStatus = 'succeeded';
  let error: string | null = null;
  try {
    const before = await budgetCheck(await runsRepository.lastOrgUsage(db));
    if (!before.allowed) throw new BudgetPause(budgetMessage(before.used, before.limit));
    crm = await openCrm();
    const adapter = crm;
    const fullContext: SyncContext = { ...ctx, crm: adapter };
    // Checked after every batch from the usage Salesforce reports on each response.
    const checkBudget = () => {
      const usage = adapter.apiUsage();
      if (!interactive && usage && usage.used >= usage.limit * plan.budget.pauseAtOrgShare) throw new BudgetPause(budgetMessage(usage.used, usage.limit));
    };
    const objects = options.objects ?? ['organization', 'contact'];
    for (const object of objects) {
      await syncObject(fullContext, object === 'organization' ? plan.organizations : plan.contacts, options.mode, checkBudget);
    }
  } catch (failure) {
    ({ status, error } = classifyFailure(ctx, failure));
  }
  const usage = crm?.apiUsage() ?? null;
  const summary: CycleSummary = {
    runId,
    status,
    counts: ctx.counts,
    apiCalls: crm?.apiCalls() ?? 0,
    apiCallsByEndpoint: crm?.apiCallsByEndpoint() ?? {},
    planned: ctx.planned,
    error,
  };
  if (runId) {
    ctx.log.push(logRow('RUN_FINISHED', { job: SYNC_JOB, summary: describeCounts(ctx.counts, summary.apiCalls) }, { runId }));
    await writeLog(db, ctx.log.splice(0));
    await runsRepository.finish(db, runId, {
      status,
      counts: { ...ctx.counts, ...(usage ? { orgApiUsed: usage.used, orgApiLimit: usage.limit } : {}) },
      apiCalls: summary.apiCalls,
      byEndpoint: summary.apiCallsByEndpoint,
      error,
    });
  }
  return summary;
}

function budgetMessage(used: number, limit: number): string {
  return `Salesforce API usage ${used}/${limit} is above the share prm-sync may use`;
}

function classifyFailure(ctx: Omit<SyncContext, 'crm'>, failure: unknown): { status: RunStatus; error: string } {
  const runId = ctx.runId;
  if (failure instanceof BudgetPause) {
    const [used, limit] = (failure.message.match(/(\d+)\/(\d+)/) ?? []).slice(1).map(Number);
    ctx.log.push(logRow('API_LIMIT_NEAR', { used: used ?? 0, limit: limit ?? 0, share: limit ? `${Math.round(((used ?? 0) / limit) * 100)} %` : 'unknown' }, { runId }));
    return { status: 'paused', error: failure.message };
  }
  if (failure instanceof ApiLimitExceededError) {
    ctx.log.push(logRow('API_LIMIT_EXCEEDED', {}, { runId }));
    return { status: 'paused', error: failure.message };
  }
  const message = describeError(failure);
  if (failure instanceof SessionRefreshFailedError || /refresh/i.test(message)) {
    ctx.log.push(logRow('SESSION_REFRESH_FAILED', { reason: message }, { runId }));
    return { status: 'failed', error: message };
  }
  ctx.log.push(logRow('RUN_FAILED', { job: SYNC_JOB, reason: message }, { runId, details: { stack: failure instanceof Error ? failure.stack?.split('\n').slice(0, 6) : undefined } }));
  return { status: 'failed', error: message };
}

/** The error's message with its cause ("fetch failed" alone tells an admin nothing). */
function describeError(failure: unknown): string {
  if (!(failure instanceof Error)) return String(failure);
  const cause = failure.cause instanceof Error ? ` (${(failure.cause as Error & { code?: string }).code ?? ''} ${failure.cause.message})`.replace('( ', '(') : '';
  return `${failure.message.replace(/^Unable to refresh session due to: /, '')}${cause}`;
}

async function skipRun(db: Db, code: 'SYNC_DISABLED' | 'WIZARD_NOT_COMPLETED', options: CycleOptions): Promise<CycleSummary> {
  const runId = options.dryRun ? null : await runsRepository.start(db, SYNC_JOB, options.mode);
  const row = logRow(code, { job: SYNC_JOB }, { runId });
  const reason = `${row.message} ${row.suggestion ?? ''}`.trim();
  if (runId) {
    await writeLog(db, [row]);
    await runsRepository.finish(db, runId, { status: 'skipped', counts: {}, apiCalls: 0, byEndpoint: {}, error: reason });
  }
  return { runId, status: 'skipped', counts: emptyCounts(), apiCalls: 0, apiCallsByEndpoint: {}, planned: [], error: reason };
}

export function describeCounts(counts: SyncCounts, apiCalls: number): string {
  return [
    `${counts.sfRead} read from Salesforce`,
    `${counts.prmRead} read from the PRM`,
    `${counts.toSalesforce + counts.createdInSalesforce} written to Salesforce (${counts.createdInSalesforce} new)`,
    `${counts.toPrm + counts.createdInPrm} written to the PRM (${counts.createdInPrm} new)`,
    `${counts.conflicts} conflicts`,
    `${counts.errors} errors`,
    `${apiCalls} API calls`,
  ].join(', ');
}
