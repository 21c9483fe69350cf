// The contacts part of the apply step: for every organization the wizard linked, its contacts as the
// Contacts page shows them — email matches linked, the rest created on the other side or excluded, as
// decided. Contacts of organizations created on one side follow with the scheduled sync. Run again after
// an interruption, it finishes what the interrupted run left half done and leaves what it completed.
import type { CrmRecord } from '../sync/crm.ts';
import { linksRepository } from '../sync/links.ts';
import type { ApplyRun, Outcomes, PrmCreate } from './apply-steps.ts';
import { createInPrmBatch, createInSalesforceBatch, excludeBatch, linkBatch } from './apply-steps.ts';
import type { ContactEntry } from './contact-match.ts';
import { contactsOfPairs, type LinkedPair, type PairWithContacts } from './contacts.ts';
import type { PrmValuesResult } from './prm-values.ts';
import type { TaskProgress } from './tasks.ts';

const PAIRS_PER_CHUNK = 100;

type Entry = { pair: PairWithContacts; entry: ContactEntry };

/** Organizations whose "Link" decision is now a live link to the same account. */
async function appliedPairs(run: ApplyRun, afterId: string | null, limit: number): Promise<LinkedPair[]> {
  const { db } = run.ctx;
  const query = db('wizard_org_decisions as d')
    .join('sync_links as l', function joinLink() {
      this.on('l.prm_id', '=', 'd.prm_id').andOn('l.sf_id', '=', 'd.sf_id').andOnVal('l.object', '=', 'organization').andOnVal('l.state', '=', 'linked');
    })
    .join('organizations as o', 'o.id', 'd.prm_id')
    .leftJoin('wizard_sf_accounts as a', 'a.sf_id', 'd.sf_id')
    .where('d.decision', 'link')
    .orderBy('d.prm_id')
    .limit(limit)
    .select('d.prm_id', 'd.sf_id', 'o.name as organization_name', 'a.name as account_name');
  if (afterId !== null) query.where('d.prm_id', '>', afterId);
  const rows = (await query) as Array<Record<string, string | null>>;
  return rows.map((row) => ({ organizationId: String(row.prm_id), organizationName: String(row.organization_name), accountId: String(row.sf_id), accountName: row.account_name ?? String(row.sf_id), applied: true }));
}

async function countPairs(run: ApplyRun): Promise<number> {
  const row = (await run.ctx.db('wizard_org_decisions as d')
    .join('sync_links as l', function joinLink() {
      this.on('l.prm_id', '=', 'd.prm_id').andOn('l.sf_id', '=', 'd.sf_id').andOnVal('l.object', '=', 'organization').andOnVal('l.state', '=', 'linked');
    })
    .where('d.decision', 'link')
    .count({ n: '*' })
    .first()) as { n?: string | number } | undefined;
  return Number(row?.n ?? 0);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

export async function applyContacts(run: ApplyRun, size: number, progress: TaskProgress, contactValues: (record: CrmRecord, organizationId: string) => PrmValuesResult): Promise<void> {
  const { db } = run.ctx;
  progress.phase('Contacts of the linked organizations', await countPairs(run));
  let after: string | null = null;
  let done = 0;
  for (;;) {
    const pairs = await appliedPairs(run, after, PAIRS_PER_CHUNK);
    if (pairs.length === 0) break;
    after = pairs.at(-1)?.organizationId ?? after;
    const withContacts = await contactsOfPairs(db, pairs);
    const entries = withContacts.flatMap((pair) => pair.entries.map((entry) => ({ pair, entry }))).filter(({ entry }) => entry.decision !== null);
    const linkByPrm = new Map((await linksRepository.byPrmIds(db, 'contact', entries.flatMap(({ entry }) => (entry.prm ? [entry.prm.id] : [])))).map((link) => [link.prm_id, link]));
    const linkBySf = new Map((await linksRepository.bySfIds(db, 'contact', entries.flatMap(({ entry }) => (entry.sf ? [entry.sf.id] : [])))).map((link) => [link.sf_id, link]));
    const finished: Entry[] = [];
    const open: Entry[] = [];
    for (const item of entries) {
      const { entry } = item;
      const link = (entry.prm && linkByPrm.get(entry.prm.id)) || (entry.sf && linkBySf.get(entry.sf.id)) || undefined;
      if (!link) open.push(item);
      // Kept out already: by this same decision, in an earlier Apply that died before marking it.
      else if (entry.decision === 'dont_sync') {
        if (link.state === 'excluded') finished.push(item);
      }
      // Linked to these very records: an earlier, interrupted Apply of this decision, which the batch finishes
      // (or finds complete). A contact linked otherwise is left alone.
      else if (link.state === 'linked' && (!entry.prm || link.prm_id === entry.prm.id) && (!entry.sf || link.sf_id === entry.sf.id)) open.push(item);
    }

    const links: Array<{ prmId: string; sfId: string }> = [];
    const toSalesforce: string[] = [];
    const toPrm: PrmCreate[] = [];
    const excluded: Array<{ prmId: string | null; sfId: string | null }> = [];
    for (const { pair, entry } of open) {
      if (entry.decision === 'dont_sync') excluded.push({ prmId: entry.prm?.id ?? null, sfId: entry.sf?.id ?? null });
      else if (entry.kind === 'match' && entry.prm && entry.sf) links.push({ prmId: entry.prm.id, sfId: entry.sf.id });
      else if (entry.kind === 'prm_only' && entry.prm) toSalesforce.push(entry.prm.id);
      else if (entry.kind === 'salesforce_only' && entry.sf) toPrm.push({ sfId: entry.sf.id, values: (record) => contactValues(record, pair.organizationId) });
    }
    const failed = new Set<string>();
    const note = (outcomes: Outcomes) => outcomes.forEach((error, id) => error !== null && failed.add(id));
    for (const batch of chunks(links, size)) note(await linkBatch(run, 'contact', batch, 'contacts'));
    for (const batch of chunks(toSalesforce, size)) note(await createInSalesforceBatch(run, 'contact', batch, 'contacts'));
    for (const batch of chunks(toPrm, size)) note(await createInPrmBatch(run, 'contact', batch, 'contacts'));
    for (const batch of chunks(excluded, size)) await excludeBatch(run, 'contact', batch, 'contacts');
    // The admin's decisions are marked applied once carried out (not when their record failed).
    const decided = [...open, ...finished].filter(({ entry }) => entry.decidedByAdmin && !failed.has(entry.recordId));
    for (const side of ['prm', 'salesforce'] as const) {
      const ids = decided.filter(({ entry }) => entry.side === side).map(({ entry }) => entry.recordId);
      for (const batch of chunks(ids, 1000)) await db('wizard_contact_decisions').where({ side }).whereIn('record_id', batch).whereNull('applied_at').update({ applied_at: db.fn.now() });
    }
    done += pairs.length;
    progress.advance(done);
  }
}
