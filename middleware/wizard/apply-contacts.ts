// The contacts part of the apply step: for every organization the wizard linked, its contacts as the
// Contacts page shows them — email matches linked, the rest created on the other side or excluded, as
// decided. Contacts of organizations created on one side follow with the scheduled sync.
import type { CrmRecord } from '../sync/crm.ts';
import { linksRepository } from '../sync/links.ts';
import type { PrmCreate, ApplyRun } from './apply-steps.ts';
import { createInPrmBatch, createInSalesforceBatch, excludeBatch, linkBatch } from './apply-steps.ts';
import { contactsOfPairs, type LinkedPair } from './contacts.ts';
import type { PrmValuesResult } from './prm-values.ts';
import type { TaskProgress } from './tasks.ts';

const PAIRS_PER_CHUNK = 100;

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
    // Contacts linked or excluded already (an earlier, interrupted apply) are left alone.
    const linkedPrm = new Set((await linksRepository.byPrmIds(db, 'contact', entries.flatMap(({ entry }) => (entry.prm ? [entry.prm.id] : [])))).map((link) => link.prm_id));
    const linkedSf = new Set((await linksRepository.bySfIds(db, 'contact', entries.flatMap(({ entry }) => (entry.sf ? [entry.sf.id] : [])))).map((link) => link.sf_id));
    const open = entries.filter(({ entry }) => !(entry.prm && linkedPrm.has(entry.prm.id)) && !(entry.sf && linkedSf.has(entry.sf.id)));

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
    for (const batch of chunks(links, size)) await linkBatch(run, 'contact', batch, 'contacts');
    for (const batch of chunks(toSalesforce, size)) await createInSalesforceBatch(run, 'contact', batch, 'contacts');
    for (const batch of chunks(toPrm, size)) await createInPrmBatch(run, 'contact', batch, 'contacts');
    for (const batch of chunks(excluded, size)) await excludeBatch(run, 'contact', batch, 'contacts');
    const decided = open.filter(({ entry }) => entry.decidedByAdmin);
    for (const side of ['prm', 'salesforce'] as const) {
      const ids = decided.filter(({ entry }) => entry.side === side).map(({ entry }) => entry.recordId);
      for (const batch of chunks(ids, 1000)) await db('wizard_contact_decisions').where({ side }).whereIn('record_id', batch).update({ applied_at: db.fn.now() });
    }
    done += pairs.length;
    progress.advance(done);
  }
}
