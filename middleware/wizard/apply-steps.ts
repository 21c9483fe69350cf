// One batch of the wizard's apply step, for organizations and contacts alike: links (merged with an empty
// snapshot, so the first-sync rules decide every field), creates on either side, and "Don't Sync"
// (an excluded link). The writes go through the sync's own batch writer; every applied link is recorded
// with its field-level before/after in the link history.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/knex.ts';
import { writeLog } from '../log/repository.ts';
import { ACCOUNT_FIELDS } from '../salesforce/fields.ts';
import { applyBatch, salesforceFieldsFor } from '../sync/apply.ts';
import { newLink } from '../sync/classify.ts';
import type { ObjectRunState, SyncContext, WorkItem } from '../sync/context.ts';
import type { CrmRecord } from '../sync/crm.ts';
import { linksRepository, type Link } from '../sync/links.ts';
import type { ObjectPlan, SyncObject } from '../sync/plan.ts';
import { prmAccess } from '../sync/prm-access.ts';
import { linkBefore, linkHistory, prmRowChanges, salesforceChanges, type BeforeImage, type NewHistoryEntry } from './history.ts';

export interface ApplyRun {
  ctx: SyncContext;
  runId: string;
  actor: string;
  counts: Record<string, number>;
}

/** Per-record outcome: null when applied, else the reason it was not. */
export type Outcomes = Map<string, string | null>;

export function objectState(run: ApplyRun, object: SyncObject): ObjectRunState {
  const plan: ObjectPlan = object === 'organization' ? run.ctx.plan.organizations : run.ctx.plan.contacts;
  return { plan, seenSfIds: new Set(), seenPrmIds: new Set() };
}

/** Everything the sync reads, plus the bookkeeping fields it writes, so undo can restore them too. */
function fieldsToRead(run: ApplyRun, state: ObjectRunState): string[] {
  return [...new Set([...salesforceFieldsFor(run.ctx, state), ACCOUNT_FIELDS.prmUrl.name, ACCOUNT_FIELDS.lastUpdated.name])];
}

async function flushLog(run: ApplyRun): Promise<void> {
  if (run.ctx.log.length > 0) await writeLog(run.ctx.db, run.ctx.log.splice(0));
}

const bump = (run: ApplyRun, key: string, by = 1) => {
  run.counts[key] = (run.counts[key] ?? 0) + by;
};

function inScope(run: ApplyRun, object: SyncObject, record: CrmRecord): boolean {
  if (record.isDeleted) return false;
  const flag = object === 'organization' ? run.ctx.plan.accountSyncFlagField : `Account.${run.ctx.plan.accountSyncFlagField}`;
  return record.fields[flag] === true;
}

async function existingLinks(db: Db, object: SyncObject, prmIds: readonly string[], sfIds: readonly string[]): Promise<{ byPrm: Map<string, Link>; bySf: Map<string, Link> }> {
  const byPrm = new Map((await linksRepository.byPrmIds(db, object, prmIds)).map((link) => [link.prm_id as string, link]));
  const bySf = new Map((await linksRepository.bySfIds(db, object, sfIds)).map((link) => [link.sf_id as string, link]));
  return { byPrm, bySf };
}

/** A link whose merge was committed (not just stored ahead of its Salesforce write, nor waiting for a retry). */
const committed = (link: Link) => link.state === 'linked' && !link.needs_retry && !link.pending && link.sf_id !== null && link.prm_id !== null;

/**
 * Links PRM records to Salesforce records: reads both sides fresh, merges through the sync's writer, and
 * records what changed on each side. Outcomes are keyed by PRM id. A link between these very records left
 * by an Apply that died (stored ahead of its write, or committed without its history) is finished, not
 * refused: the decision cannot be changed while the link exists, so only Apply can complete it.
 */
export async function linkBatch(run: ApplyRun, object: SyncObject, pairs: ReadonlyArray<{ prmId: string; sfId: string }>, prefix: string): Promise<Outcomes> {
  const outcomes: Outcomes = new Map();
  if (pairs.length === 0) return outcomes;
  const { db, crm } = run.ctx;
  const state = objectState(run, object);
  const fields = fieldsToRead(run, state);
  const prmRows = new Map((await prmAccess.byIds(db, object, pairs.map((p) => p.prmId))).map((row) => [row.id, row]));
  const sfRecords = new Map((await crm.byIds(state.plan.sfObject, pairs.map((p) => p.sfId), fields)).map((record) => [record.id, record]));
  const { byPrm, bySf } = await existingLinks(db, object, pairs.map((p) => p.prmId), pairs.map((p) => p.sfId));
  const stored = await linkBefore.load(db, object, pairs.map((p) => p.prmId));
  const finished = await linkHistory.linksWithEntry(db, [...byPrm.values()].map((link) => link.id));
  const items: WorkItem[] = [];
  const before = new Map<string, BeforeImage>();
  const toStore = new Map<string, BeforeImage>();
  for (const { prmId, sfId } of pairs) {
    const prmRow = prmRows.get(prmId);
    const sfRecord = sfRecords.get(sfId);
    const existing = byPrm.get(prmId);
    const resumed = existing?.state === 'linked' && existing.sf_id === sfId ? existing : undefined;
    const refusal =
      !prmRow || prmRow.deleted_at ? 'the PRM record no longer exists'
      : !sfRecord || !inScope(run, object, sfRecord) ? 'the Salesforce record is deleted or no longer flagged "Sync with PRM"'
      : existing && !resumed ? 'the PRM record is linked already'
      : bySf.has(sfId) && !resumed ? 'the Salesforce record is linked to another PRM record already'
      : null;
    if (refusal || !prmRow || !sfRecord) {
      outcomes.set(prmId, refusal ?? 'not found');
      bump(run, `${prefix}Errors`);
      continue;
    }
    if (resumed && committed(resumed) && finished.has(resumed.id)) {
      outcomes.set(prmId, null); // applied in full; only its decision was not marked yet
      continue;
    }
    // Without a link row nothing was written yet, so what the records hold now is the "before".
    const image = resumed ? stored.get(prmId) : undefined;
    const current = { sfId, prm: prmRow, sf: sfRecord.fields };
    before.set(prmId, image?.sfId === sfId ? image : current);
    if (!image || image.sfId !== sfId) toStore.set(prmId, current);
    items.push({ kind: 'merge', link: resumed ?? newLink(object, prmId, sfId), prmRow, sfRecord });
  }
  await linkBefore.store(db, object, toStore);
  await applyBatch(run.ctx, state, items);
  await flushLog(run);

  const links = new Map((await linksRepository.byPrmIds(db, object, [...before.keys()])).map((link) => [link.prm_id as string, link]));
  const applied = [...before.keys()].filter((prmId) => links.get(prmId)?.state === 'linked' && !links.get(prmId)?.needs_retry);
  const prmAfter = new Map((await prmAccess.byIds(db, object, applied)).map((row) => [row.id, row]));
  const sfAfter = new Map((await crm.byIds(state.plan.sfObject, applied.map((id) => links.get(id)?.sf_id as string), fields)).map((record) => [record.id, record]));
  const history: NewHistoryEntry[] = [];
  for (const [prmId, { prm, sf }] of before) {
    const link = links.get(prmId);
    if (!link || !applied.includes(prmId)) {
      // The stored "before" stays: it is still true, and a later Apply (or the sync's retry) finishes the link.
      outcomes.set(prmId, link?.last_error ?? 'the write failed; see the integration log');
      bump(run, `${prefix}Errors`);
      continue;
    }
    outcomes.set(prmId, null);
    bump(run, `${prefix}Linked`);
    history.push({
      linkId: link.id,
      object,
      prmId,
      sfId: link.sf_id,
      action: 'link',
      prmChanges: prmRowChanges(prm, prmAfter.get(prmId) ?? prm),
      sfChanges: salesforceChanges(sf, sfAfter.get(link.sf_id as string)?.fields ?? sf),
      runId: run.runId,
      appliedBy: run.actor,
    });
  }
  await db.transaction(async (trx) => {
    await linkHistory.insert(trx, history);
    await linkBefore.remove(trx, object, history.map((entry) => entry.prmId as string));
  });
  return outcomes;
}

/**
 * Creates PRM records in Salesforce. Outcomes are keyed by PRM id. A creation an Apply that died left
 * behind (its link stored ahead of the upsert, or committed without its history) is finished: the upsert by
 * PRM id finds the account it may already have created.
 */
export async function createInSalesforceBatch(run: ApplyRun, object: SyncObject, prmIds: readonly string[], prefix: string): Promise<Outcomes> {
  const outcomes: Outcomes = new Map();
  if (prmIds.length === 0) return outcomes;
  const { db } = run.ctx;
  const state = objectState(run, object);
  const rows = new Map((await prmAccess.byIds(db, object, prmIds)).map((row) => [row.id, row]));
  const { byPrm } = await existingLinks(db, object, prmIds, []);
  const finished = await linkHistory.linksWithEntry(db, [...byPrm.values()].map((link) => link.id));
  const items: WorkItem[] = [];
  const history: NewHistoryEntry[] = [];
  const entry = (link: Link): NewHistoryEntry => ({ linkId: link.id, object, prmId: link.prm_id, sfId: link.sf_id, action: 'create_in_salesforce', runId: run.runId, appliedBy: run.actor });
  for (const prmId of prmIds) {
    const row = rows.get(prmId);
    const existing = byPrm.get(prmId);
    const resumed = existing?.state === 'linked' ? existing : undefined;
    const refusal = !row || row.deleted_at ? 'the PRM record no longer exists' : existing && !resumed ? 'the PRM record is linked already' : null;
    if (refusal || !row) {
      outcomes.set(prmId, refusal ?? 'not found');
      bump(run, `${prefix}Errors`);
      continue;
    }
    if (resumed && committed(resumed)) {
      outcomes.set(prmId, null);
      if (!finished.has(resumed.id)) {
        history.push(entry(resumed));
        bump(run, `${prefix}CreatedInSalesforce`);
      }
      continue;
    }
    items.push({ kind: 'create_in_salesforce', prmRow: row });
  }
  await applyBatch(run.ctx, state, items);
  await flushLog(run);
  const links = new Map((await linksRepository.byPrmIds(db, object, items.map((item) => (item.kind === 'create_in_salesforce' ? item.prmRow.id : '')))).map((link) => [link.prm_id as string, link]));
  for (const item of items) {
    if (item.kind !== 'create_in_salesforce') continue;
    const link = links.get(item.prmRow.id);
    if (!link?.sf_id || link.needs_retry) {
      // The link stays marked for retry: the scheduled sync tries the create again.
      outcomes.set(item.prmRow.id, link?.last_error ?? 'the create failed; see the integration log');
      bump(run, `${prefix}Errors`);
      continue;
    }
    outcomes.set(item.prmRow.id, null);
    bump(run, `${prefix}CreatedInSalesforce`);
    history.push(entry(link));
  }
  await linkHistory.insert(db, history);
  return outcomes;
}

export interface PrmCreate {
  sfId: string;
  /** Builds the PRM row from the fresh Salesforce record, or says why it cannot be created. */
  values: (record: CrmRecord) => { ok: true; values: Record<string, unknown> } | { ok: false; reason: string };
}

/** Creates Salesforce records in the PRM. Outcomes are keyed by Salesforce id. */
export async function createInPrmBatch(run: ApplyRun, object: SyncObject, creates: readonly PrmCreate[], prefix: string): Promise<Outcomes> {
  const outcomes: Outcomes = new Map();
  if (creates.length === 0) return outcomes;
  const { db, crm } = run.ctx;
  const state = objectState(run, object);
  const records = new Map((await crm.byIds(state.plan.sfObject, creates.map((c) => c.sfId), fieldsToRead(run, state))).map((record) => [record.id, record]));
  const { bySf } = await existingLinks(db, object, [], creates.map((c) => c.sfId));
  const finished = await linkHistory.linksWithEntry(db, [...bySf.values()].map((link) => link.id));
  const history: NewHistoryEntry[] = [];
  const entry = (link: Link): NewHistoryEntry => ({ linkId: link.id, object, prmId: link.prm_id, sfId: link.sf_id, action: 'create_in_prm', runId: run.runId, appliedBy: run.actor });
  const externalIds = [...records.values()].map((record) => record.fields[run.ctx.plan.externalIdField]).filter((id): id is string => typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id));
  const takenIds = new Set((await prmAccess.byIds(db, object, externalIds)).map((row) => row.id));
  const items: WorkItem[] = [];
  for (const create of creates) {
    const record = records.get(create.sfId);
    const existing = bySf.get(create.sfId);
    // Created in the PRM by an Apply that died before writing its history (the PRM row and its link are
    // committed together, so a link means the creation is done).
    if (existing?.state === 'linked' && existing.prm_id) {
      outcomes.set(create.sfId, null);
      if (!finished.has(existing.id)) {
        history.push(entry(existing));
        bump(run, `${prefix}CreatedInPrm`);
      }
      continue;
    }
    const built = record && inScope(run, object, record) ? create.values(record) : { ok: false as const, reason: 'the Salesforce record is deleted or no longer flagged "Sync with PRM"' };
    const refusal = existing ? 'the Salesforce record is linked already' : built.ok ? null : built.reason;
    if (refusal || !built.ok || !record) {
      outcomes.set(create.sfId, refusal ?? 'not found');
      bump(run, `${prefix}Errors`);
      continue;
    }
    // A PRM id left on the record by an earlier integration is reused unless a PRM record has it already.
    const carried = record.fields[run.ctx.plan.externalIdField];
    const prmId = typeof carried === 'string' && /^[0-9a-f-]{36}$/i.test(carried) && !takenIds.has(carried) ? carried.toLowerCase() : randomUUID();
    items.push({ kind: 'create_in_prm', sfRecord: record, prmId, prmValues: built.values });
  }
  await applyBatch(run.ctx, state, items);
  await flushLog(run);
  const links = new Map((await linksRepository.bySfIds(db, object, creates.map((c) => c.sfId))).map((link) => [link.sf_id as string, link]));
  for (const item of items) {
    if (item.kind !== 'create_in_prm') continue;
    const link = links.get(item.sfRecord.id);
    if (!link) {
      outcomes.set(item.sfRecord.id, 'the PRM insert failed; see the integration log');
      bump(run, `${prefix}Errors`);
      continue;
    }
    outcomes.set(item.sfRecord.id, null);
    bump(run, `${prefix}CreatedInPrm`);
    history.push(entry(link));
  }
  await linkHistory.insert(db, history);
  return outcomes;
}

/** "Don't Sync": an excluded link row, which the sync skips for good (until someone relinks the record). */
export async function excludeBatch(run: ApplyRun, object: SyncObject, records: ReadonlyArray<{ prmId: string | null; sfId: string | null }>, prefix: string): Promise<number> {
  const { db } = run.ctx;
  const { byPrm, bySf } = await existingLinks(db, object, records.flatMap((r) => (r.prmId ? [r.prmId] : [])), records.flatMap((r) => (r.sfId ? [r.sfId] : [])));
  const fresh = records.filter((r) => !(r.prmId && byPrm.has(r.prmId)) && !(r.sfId && bySf.has(r.sfId)));
  if (fresh.length === 0) return 0;
  await db.transaction(async (trx) => {
    const history: NewHistoryEntry[] = [];
    for (const record of fresh) {
      const link = await linksRepository.insert(trx, { object, prm_id: record.prmId, sf_id: record.sfId, state: 'excluded', snapshot: {}, needs_retry: false });
      history.push({ linkId: link.id, object, prmId: record.prmId, sfId: record.sfId, action: 'exclude', runId: run.runId, appliedBy: run.actor });
    }
    await linkHistory.insert(trx, history);
  });
  bump(run, `${prefix}Excluded`, fresh.length);
  return fresh.length;
}
