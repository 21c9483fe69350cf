// One object's share of a sync run: pull Salesforce changes, then PRM changes, then the records earlier
// runs left for retry. Cursors advance only after the batch they cover has committed.
import { writeLog } from '../log/repository.ts';
import { applyBatch, salesforceFieldsFor } from './apply.ts';
import { classifyPrmPage, classifySalesforcePage } from './classify.ts';
import type { ObjectRunState, SyncContext, WorkItem } from './context.ts';
import type { CrmChangePage, CrmRecord } from './crm.ts';
import { contactLookupsRepository } from './contact-lookups.ts';
import { advanceSeenUntil, cursorsRepository, pullStart, type Cursor } from './cursors.ts';
import { deferredCount, disposeDeferredWrites, flushDeferredWrites, newDeferredWrites } from './deferred.ts';
import { linksRepository } from './links.ts';
import type { ObjectPlan } from './plan.ts';
import { PRM_TABLE, prmAccess } from './prm-access.ts';
import { readAhead } from './read-ahead.ts';
import { keepPlannerStatistics } from './statistics.ts';

/** PRM rows per batch: large enough that a mass change reaches the Bulk API threshold in one batch. */
const PRM_PAGE = 10_000;
/** PRM rows younger than this may still have earlier change_seq values uncommitted around them. */
const PRM_COMMIT_LAG_MS = 10_000;
const RETRY_PAGE = 500;
/** Above this many newly linked accounts, one full scoped contact pull is cheaper than lookups by AccountId. */
const MANY_NEW_ACCOUNTS = 1_500;

export type PassMode = 'incremental' | 'full';

export async function syncObject(ctx: SyncContext, plan: ObjectPlan, mode: PassMode, checkBudget: () => void): Promise<void> {
  if (plan.direction === 'disabled') return;
  const state: ObjectRunState = { plan, seenSfIds: new Set(), seenPrmIds: new Set() };
  const cursor = await cursorsRepository.get(ctx.db, plan.object, ctx.plan.overlapMs);
  const passStart = ctx.now();
  const fields = salesforceFieldsFor(ctx, state);
  const scopeFlagField = plan.object === 'organization' ? ctx.plan.accountSyncFlagField : `Account.${ctx.plan.accountSyncFlagField}`;

  const deferred = ctx.dryRun ? undefined : newDeferredWrites();
  const statistics = keepPlannerStatistics(ctx.db);
  // Links written or written ahead (a deferred creation's link is in the database before the Bulk API
  // job); PRM rows only where the PRM was written. Counted from this pass's start.
  const prmWrites = () => ctx.counts.createdInPrm + ctx.counts.toPrm;
  const linkWrites = () => prmWrites() + ctx.counts.createdInSalesforce + ctx.counts.toSalesforce;
  const before = { prm: prmWrites(), links: linkWrites() };
  const rowsWritten = () => ({
    sync_links: linkWrites() - before.links + (deferred ? deferredCount(deferred) : 0),
    [PRM_TABLE[plan.object]]: prmWrites() - before.prm,
  });
  const afterWrites = async () => {
    if (ctx.log.length > 0 && !ctx.dryRun) await writeLog(ctx.db, ctx.log.splice(0));
    if (!ctx.dryRun) await statistics.written(rowsWritten());
    checkBudget();
  };
  const flush = async (items: WorkItem[]) => {
    await applyBatch(ctx, state, items, deferred);
    await afterWrites();
  };
  // What the steps deferred goes out together, before a later step could meet those records. Updates by
  // Id (write-backs) go after each step: the PRM step then finds the records a pull created settled by
  // their links. Upserts (merges of the pull, creations and merges of the PRM step) wait for the end of
  // the PRM step, so that both steps' writes make one call set — and go before the retry step, which
  // would otherwise take their waiting links for failures.
  const sendDeferred = async (updatesOnly = false) => {
    if (!deferred) return;
    await flushDeferredWrites(ctx, state, deferred, updatesOnly);
    await afterWrites();
  };
  try {
    await passSteps(ctx, state, { plan, mode, cursor, passStart, fields, scopeFlagField, flush, sendDeferred });
  } finally {
    if (deferred) disposeDeferredWrites(deferred);
  }
}

interface PassSteps {
  plan: ObjectPlan;
  mode: PassMode;
  cursor: Cursor;
  passStart: Date;
  fields: string[];
  scopeFlagField: string;
  flush: (items: WorkItem[]) => Promise<void>;
  sendDeferred: (updatesOnly?: boolean) => Promise<void>;
}

async function passSteps(ctx: SyncContext, state: ObjectRunState, steps: PassSteps): Promise<void> {
  const { plan, mode, cursor, passStart, fields, scopeFlagField, flush, sendDeferred } = steps;

  // 1. Salesforce changes since the cursor (minus the overlap), deletions included.
  const since = mode === 'full' ? null : pullStart(cursor);
  let queriedAt: Date | null | undefined;
  // The next page is fetched while this one is applied (read-ahead.ts). Only the first page's server time
  // is used below: it was taken before any read ahead could overlap another request.
  for await (const page of readAhead(ctx.crm.changedSince({ object: plan.sfObject, fields, since, scopeFlagField, externalIdField: ctx.plan.externalIdField }))) {
    queriedAt ??= page.serverTime;
    ctx.counts.sfRead += page.records.length;
    await flush(await classifySalesforcePage(ctx, state, page.records));
    const last = page.records.at(-1)?.modstamp;
    if (last && (!cursor.sfModstamp || last > cursor.sfModstamp)) cursor.sfModstamp = last;
    if (!ctx.dryRun) await cursorsRepository.save(ctx.db, cursor);
    ctx.onProgress?.(`${plan.object}: read Salesforce`, ctx.counts.sfRead);
  }
  await sendDeferred(true);
  // The whole pull went through: next time, start no earlier than the overlap before this query ran.
  if (queriedAt && !ctx.dryRun && advanceSeenUntil(cursor, queriedAt)) await cursorsRepository.save(ctx.db, cursor);

  // 2. Contacts of accounts linked in this run: unchanged in Salesforce, so the pull above missed them.
  //    Few accounts: look their contacts up by AccountId; many: one scoped pull of every synced contact
  //    costs fewer calls than hundreds of `AccountId IN (…)` queries.
  //    The accounts come from this run and from the stored list (a run killed before its contact pass
  //    leaves its accounts there); the list is cleared once their contacts went through.
  const stored = plan.object === 'contact' && !ctx.dryRun ? await contactLookupsRepository.due(ctx.db) : [];
  const accounts = new Set([...ctx.newlyLinkedAccounts, ...stored]);
  if (plan.object === 'contact' && accounts.size > 0 && since !== null) {
    const pages =
      accounts.size > MANY_NEW_ACCOUNTS
        ? recordsOf(ctx.crm.changedSince({ object: plan.sfObject, fields, since: null, scopeFlagField, externalIdField: ctx.plan.externalIdField }))
        : ctx.crm.byParentIds(plan.sfObject, 'AccountId', [...accounts], fields);
    for await (const page of pages) {
      const fresh = page.filter((record) => !state.seenSfIds.has(record.id));
      ctx.counts.sfRead += fresh.length;
      await flush(await classifySalesforcePage(ctx, state, fresh));
    }
    await sendDeferred(true);
  }
  // A first (or full) pull above read every synced contact already.
  if (stored.length > 0) await contactLookupsRepository.done(ctx.db, stored);

  // 3. PRM changes since the PRM cursor.
  let afterSeq = mode === 'full' ? 0 : cursor.prmChangeSeq;
  let safeSeq = cursor.prmChangeSeq;
  let blocked = false;
  for (;;) {
    // The page's changes first, without values; then the values of those the sync has work for — the rows
    // a pull has just created are its own writes, settled by their links (prm-access.ts).
    const marks = await prmAccess.changeMarks(ctx.db, plan.object, afterSeq, PRM_PAGE);
    if (marks.length === 0) break;
    const upToSeq = Number(marks.at(-1)?.change_seq ?? afterSeq);
    ctx.counts.prmRead += marks.length;
    if (marks.some((mark) => !mark.settled && !state.seenPrmIds.has(mark.id))) {
      await flush(await classifyPrmPage(ctx, state, await prmAccess.unsettledChanges(ctx.db, plan.object, afterSeq, upToSeq)));
    }
    for (const mark of marks) {
      const seq = Number(mark.change_seq);
      if (!blocked && new Date(mark.updated_at).getTime() <= passStart.getTime() - PRM_COMMIT_LAG_MS) safeSeq = Math.max(safeSeq, seq);
      else blocked = true;
    }
    afterSeq = upToSeq;
    ctx.onProgress?.(`${plan.object}: read PRM`, ctx.counts.prmRead);
    if (marks.length < PRM_PAGE) break;
  }
  await sendDeferred();
  if (!ctx.dryRun && safeSeq !== cursor.prmChangeSeq) await cursorsRepository.save(ctx.db, { ...cursor, prmChangeSeq: safeSeq });

  // 4. Records earlier runs could not finish.
  await retryPass(ctx, state, flush);
  await sendDeferred();

  // 5. Full reconcile: a linked record the complete pull did not return is gone from Salesforce for good.
  if (mode === 'full') await disconnectUnseen(ctx, state, flush);
}

async function* recordsOf(pages: AsyncIterable<CrmChangePage>): AsyncGenerator<CrmRecord[]> {
  for await (const page of pages) yield page.records;
}

async function disconnectUnseen(ctx: SyncContext, state: ObjectRunState, flush: (items: WorkItem[]) => Promise<void>): Promise<void> {
  let afterId = 0;
  for (;;) {
    const links = await linksRepository.linkedAfter(ctx.db, state.plan.object, afterId, RETRY_PAGE);
    if (links.length === 0) return;
    afterId = links.at(-1)?.id ?? afterId;
    const unseen = links.filter((link) => link.sf_id !== null && !state.seenSfIds.has(link.sf_id) && !link.needs_retry);
    await flush(unseen.map((link) => ({ kind: 'disconnect', link, sfRecord: null, reason: 'no longer exists (found by the full reconcile)' })));
  }
}

async function retryPass(ctx: SyncContext, state: ObjectRunState, flush: (items: WorkItem[]) => Promise<void>): Promise<void> {
  let afterId = 0;
  for (;;) {
    const links = await linksRepository.needingRetry(ctx.db, state.plan.object, afterId, RETRY_PAGE);
    if (links.length === 0) return;
    afterId = links.at(-1)?.id ?? afterId;
    const rows = new Map((await prmAccess.byIds(ctx.db, state.plan.object, links.map((l) => l.prm_id as string))).map((r) => [r.id, r]));
    const items: WorkItem[] = [];
    for (const link of links) {
      const row = link.prm_id ? rows.get(link.prm_id) : undefined;
      if (!row || state.seenPrmIds.has(row.id)) continue;
      state.seenPrmIds.add(row.id);
      if (link.sf_id === null) {
        if (!row.deleted_at) items.push({ kind: 'create_in_salesforce', prmRow: row });
        else if (!ctx.dryRun) await linksRepository.remove(ctx.db, link.id); // deleted before it ever reached Salesforce
      } else if (row.deleted_at) {
        items.push({ kind: 'mark_deleted', link, prmRow: row });
      } else {
        items.push({ kind: 'merge', link, prmRow: row, sfRecord: null });
      }
    }
    await flush(items);
    if (ctx.dryRun || links.length < RETRY_PAGE) return; // a dry run changes nothing, so the same links would come back
  }
}
