// Writes the imported deal's id, URL and import time back onto its Opportunity — only when the deal was
// created or changed, or the opportunity does not carry the right id and URL yet. The write-back itself
// changes the opportunity's SystemModstamp, so the next run reads it again; it then finds the deal
// unchanged and the values already in place, and writes nothing (echo suppression). A refused write-back
// is logged, marked on the deal's link and sent again at the start of the next run.
import type { Db } from '../db/knex.ts';
import { logRow, type LogRow } from '../log/catalogue.ts';
import { OPPORTUNITY_FIELDS } from '../salesforce/fields.ts';
import type { SalesforceSession } from '../salesforce/connection.ts';
import { createSalesforceAdapter } from '../salesforce/adapter.ts';
import { DEFAULT_BULK_THRESHOLD } from '../salesforce/writer.ts';
import { disconnectDealLink, pendingWriteBacks, recordWriteBacks } from './links.ts';
import type { ReadOpportunity } from './opportunities.ts';
import { dealUrl, type DealImportPlan } from './plan.ts';
import type { DealWriteResult } from './store.ts';

export interface WriteBackItem {
  opportunityId: string;
  /** For log messages. */
  opportunityName: string;
  dealId: string;
  values: Record<string, unknown>;
}

export interface WriteBackOutcome {
  sent: number;
  failed: number;
  log: LogRow[];
}

/** Salesforce says the opportunity no longer exists: retrying cannot help. */
const GONE = new Set(['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY', 'NOT_FOUND', 'MALFORMED_ID']);
/**
 * Write-backs sent together: one Bulk API job above the writer's threshold. Also the pending ones a run
 * retries, so a run killed before sending its queue has them all sent by the next run.
 */
export const WRITE_BACK_BATCH = 10_000;

export function writeBackValues(plan: Pick<DealImportPlan, 'publicUrl'>, dealId: string, now: Date): Record<string, unknown> {
  return {
    [OPPORTUNITY_FIELDS.dealId.name]: dealId,
    [OPPORTUNITY_FIELDS.prmUrl.name]: dealUrl(plan, dealId),
    [OPPORTUNITY_FIELDS.lastUpdated.name]: now.toISOString(),
  };
}

/** The write-back one opportunity needs after its deal was saved, or null. Pure. */
export function planWriteBack(
  opportunity: Pick<ReadOpportunity, 'id' | 'name' | 'dealIdOnRecord' | 'urlOnRecord'>,
  deal: DealWriteResult,
  plan: Pick<DealImportPlan, 'publicUrl'>,
  now: Date,
): WriteBackItem | null {
  const inPlace = opportunity.dealIdOnRecord === deal.dealId && opportunity.urlOnRecord === dealUrl(plan, deal.dealId);
  if (deal.outcome === 'unchanged' && inPlace) return null;
  return { opportunityId: opportunity.id, opportunityName: opportunity.name, dealId: deal.dealId, values: writeBackValues(plan, deal.dealId, now) };
}

/**
 * Updates by Id — sObject Collections (≤ 200 records a call, allOrNone=false), or one Bulk API 2.0 job
 * above the writer's threshold — then records each outcome.
 */
export async function sendWriteBacks(db: Db, session: SalesforceSession, items: readonly WriteBackItem[], context: { runId: string | null; now: Date }): Promise<WriteBackOutcome> {
  const outcome: WriteBackOutcome = { sent: 0, failed: 0, log: [] };
  if (items.length === 0) return outcome;
  const adapter = createSalesforceAdapter(session, { bulkThreshold: DEFAULT_BULK_THRESHOLD });
  const results = await adapter.updateByIds('Opportunity', items.map((item) => ({ id: item.opportunityId, values: item.values })));
  const recorded: Array<{ dealId: string; error: string | null }> = [];
  for (const [index, result] of results.entries()) {
    const item = items[index] as WriteBackItem;
    if (result.success) {
      outcome.sent += 1;
      recorded.push({ dealId: item.dealId, error: null });
      continue;
    }
    outcome.failed += 1;
    const statusCode = result.errors[0]?.statusCode ?? 'UNKNOWN_ERROR';
    const detail = result.errors.map((e) => e.message).join('; ') || 'no detail given';
    outcome.log.push(
      logRow('DEAL_WRITE_BACK_FAILED', { opportunity: item.opportunityName, statusCode, detail }, { runId: context.runId, object: 'deal', sfId: item.opportunityId, prmId: item.dealId, details: { errors: result.errors } }),
    );
    if (GONE.has(statusCode)) await disconnectDealLink(db, item.dealId, `${statusCode}: ${detail}`);
    else recorded.push({ dealId: item.dealId, error: `${statusCode}: ${detail}` });
  }
  await recordWriteBacks(db, recorded, context.now);
  return outcome;
}

/** Sends again the write-backs earlier runs could not make; returns them with the opportunities tried. */
export async function retryPendingWriteBacks(
  db: Db,
  session: SalesforceSession,
  plan: Pick<DealImportPlan, 'publicUrl'>,
  context: { runId: string | null; now: Date },
): Promise<WriteBackOutcome & { opportunityIds: Set<string> }> {
  const pending = await pendingWriteBacks(db, WRITE_BACK_BATCH);
  const items = pending.map((p) => ({ opportunityId: p.opportunityId, opportunityName: p.opportunityId, dealId: p.dealId, values: writeBackValues(plan, p.dealId, context.now) }));
  return { ...(await sendWriteBacks(db, session, items, context)), opportunityIds: new Set(pending.map((p) => p.opportunityId)) };
}
