// The Contacts step's reads and writes: the organizations with a "Link" decision (page by page), their
// contacts on both sides matched by email (contact-match.ts), counts over all of them, and the admin's
// per-contact decisions.
import type { Db } from '../db/knex.ts';
import { DecisionRefused, type DecisionOutcome } from './decisions.ts';
import { decisionKey, matchPairContacts, type ContactDecision, type ContactEntry, type ContactSide, type EmailElsewhere, type PrmContact, type SfContact } from './contact-match.ts';
import { likePattern } from './org-list.ts';

export interface LinkedPair {
  organizationId: string;
  organizationName: string;
  accountId: string;
  accountName: string;
  applied: boolean;
}

export interface PairWithContacts extends LinkedPair {
  entries: ContactEntry[];
}

function pairsQuery(db: Db, q: string) {
  const query = db('wizard_org_decisions as d')
    .join('organizations as o', 'o.id', 'd.prm_id')
    .join('wizard_sf_accounts as a', 'a.sf_id', 'd.sf_id')
    .where('d.decision', 'link')
    .whereNull('o.deleted_at');
  if (q) query.where((where) => where.whereRaw('lower(o.name) LIKE ?', [likePattern(q)]).orWhereRaw('lower(a.name) LIKE ?', [likePattern(q)]));
  return query;
}

export async function countLinkedPairs(db: Db, q = ''): Promise<number> {
  // Without a name filter the decisions alone answer (an index count); the joins only narrow by name.
  const query = q ? pairsQuery(db, q) : db('wizard_org_decisions as d').where('d.decision', 'link');
  const row = (await query.count({ n: '*' }).first()) as { n?: string | number } | undefined;
  return Number(row?.n ?? 0);
}

export async function linkedPairs(db: Db, options: { q?: string; limit: number; offset: number }): Promise<LinkedPair[]> {
  const rows = (await pairsQuery(db, options.q ?? '')
    .select('d.prm_id', 'o.name as organization_name', 'd.sf_id', 'a.name as account_name', 'd.applied_at')
    .orderBy([{ column: 'd.sort_name' }, { column: 'd.prm_id' }])
    .limit(options.limit)
    .offset(options.offset)) as Array<Record<string, unknown>>;
  return rows.map((row) => ({
    organizationId: String(row.prm_id),
    organizationName: String(row.organization_name),
    accountId: String(row.sf_id),
    accountName: String(row.account_name),
    applied: row.applied_at !== null && row.applied_at !== undefined,
  }));
}

const CHUNK = 1000;

async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  const unique = [...new Set(ids)];
  for (let start = 0; start < unique.length; start += CHUNK) out.push(...(await load(unique.slice(start, start + CHUNK))));
  return out;
}

/** Every pair's contacts on both sides, classified, with conflicts looked up across all data. */
export async function contactsOfPairs(db: Db, pairs: readonly LinkedPair[]): Promise<PairWithContacts[]> {
  if (pairs.length === 0) return [];
  const prmRows = await inChunks(pairs.map((p) => p.organizationId), (chunk) =>
    db('contacts').whereIn('organization_id', chunk).whereNull('deleted_at').orderBy('id').select('id', 'organization_id', 'first_name', 'last_name', 'email') as Promise<Array<Record<string, string | null>>>,
  );
  const sfRows = await inChunks(pairs.map((p) => p.accountId), (chunk) =>
    db('wizard_sf_contacts').whereIn('account_id', chunk).select('sf_id', 'account_id', 'first_name', 'last_name', 'email', 'norm_email', 'opted_out') as Promise<Array<Record<string, unknown>>>,
  );
  const prmContacts: PrmContact[] = prmRows.map((row) => ({ id: String(row.id), organizationId: String(row.organization_id), firstName: row.first_name ?? null, lastName: row.last_name ?? null, email: row.email ?? null }));
  const sfContacts: SfContact[] = sfRows.map((row) => ({
    id: String(row.sf_id),
    accountId: String(row.account_id),
    firstName: (row.first_name as string | null) ?? null,
    lastName: (row.last_name as string | null) ?? null,
    email: (row.email as string | null) ?? null,
    normEmail: String(row.norm_email ?? ''),
    optedOut: row.opted_out === true,
  }));
  const emails = [...new Set([...prmContacts.map((c) => c.email?.trim().toLowerCase() ?? ''), ...sfContacts.map((c) => c.normEmail)].filter((e) => e !== ''))];
  const elsewhere = await emailsElsewhere(db, emails);
  const decisions = await storedDecisions(db, [...prmContacts.map((c) => decisionKey('prm', c.id)), ...sfContacts.map((c) => decisionKey('salesforce', c.id))]);
  const prmByOrg = groupBy(prmContacts, (c) => c.organizationId);
  const sfByAccount = groupBy(sfContacts, (c) => c.accountId);
  return pairs.map((pair) => ({
    ...pair,
    entries: matchPairContacts({
      organizationId: pair.organizationId,
      accountId: pair.accountId,
      prmContacts: prmByOrg.get(pair.organizationId) ?? [],
      sfContacts: sfByAccount.get(pair.accountId) ?? [],
      elsewhere,
      decisions,
    }),
  }));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(key(item)) ?? [];
    list.push(item);
    out.set(key(item), list);
  }
  return out;
}

async function emailsElsewhere(db: Db, emails: readonly string[]): Promise<EmailElsewhere> {
  const salesforce = new Map<string, Array<{ accountId: string; accountName: string }>>();
  const prm = new Map<string, Array<{ organizationId: string; organizationName: string }>>();
  const sfRows = await inChunks(emails, (chunk) =>
    db('wizard_sf_contacts as c').join('wizard_sf_accounts as a', 'a.sf_id', 'c.account_id').whereIn('c.norm_email', chunk).select('c.norm_email', 'c.account_id', 'a.name') as Promise<Array<{ norm_email: string; account_id: string; name: string }>>,
  );
  for (const row of sfRows) salesforce.set(row.norm_email, [...(salesforce.get(row.norm_email) ?? []), { accountId: row.account_id, accountName: row.name }]);
  const prmRows = await inChunks(emails, (chunk) =>
    db('contacts as c').join('organizations as o', 'o.id', 'c.organization_id').whereNull('c.deleted_at').whereIn(db.raw('lower(c.email)') as unknown as string, chunk).select(db.raw('lower(c.email) AS email'), 'c.organization_id', 'o.name') as Promise<Array<{ email: string; organization_id: string; name: string }>>,
  );
  for (const row of prmRows) prm.set(row.email, [...(prm.get(row.email) ?? []), { organizationId: row.organization_id, organizationName: row.name }]);
  return { salesforce, prm };
}

async function storedDecisions(db: Db, keys: readonly string[]): Promise<Map<string, ContactDecision>> {
  const out = new Map<string, ContactDecision>();
  const bySide = { prm: [] as string[], salesforce: [] as string[] };
  for (const key of keys) {
    const [side, id] = key.split(':') as [ContactSide, string];
    bySide[side].push(id);
  }
  for (const side of ['prm', 'salesforce'] as const) {
    const rows = await inChunks(bySide[side], (chunk) => db('wizard_contact_decisions').where({ side }).whereIn('record_id', chunk).select('record_id', 'decision') as Promise<Array<{ record_id: string; decision: ContactDecision }>>);
    for (const row of rows) out.set(decisionKey(side, row.record_id), row.decision);
  }
  return out;
}

export interface ContactCounts {
  organizations: number;
  prmContacts: number;
  sfContacts: number;
  matched: number;
  withoutEmail: number;
  conflicts: number;
}

/** Counts over every linked pair, in SQL (no contact is loaded into memory). */
export async function contactCounts(db: Db): Promise<ContactCounts> {
  const pairs = db('wizard_org_decisions').where({ decision: 'link' }).select('prm_id', 'sf_id');
  const [orgs, prmContacts, sfContacts, matched, withoutEmail, conflicts] = await Promise.all([
    db('wizard_org_decisions').where({ decision: 'link' }).count({ n: '*' }).first(),
    db('contacts').whereNull('deleted_at').whereIn('organization_id', pairs.clone().clearSelect().select('prm_id')).count({ n: '*' }).first(),
    db('wizard_sf_contacts').whereIn('account_id', pairs.clone().clearSelect().select('sf_id')).count({ n: '*' }).first(),
    db('wizard_org_decisions as d')
      .join('contacts as c', 'c.organization_id', 'd.prm_id')
      .join('wizard_sf_contacts as s', function joinOn() {
        this.on('s.account_id', '=', 'd.sf_id').andOn('s.norm_email', '=', db.raw('lower(c.email)'));
      })
      .where('d.decision', 'link')
      .whereNull('c.deleted_at')
      .countDistinct({ n: 'c.id' })
      .first(),
    db('wizard_sf_contacts').whereIn('account_id', pairs.clone().clearSelect().select('sf_id')).where({ norm_email: '' }).count({ n: '*' }).first(),
    db('wizard_sf_contacts as s')
      .whereIn('s.account_id', pairs.clone().clearSelect().select('sf_id'))
      .whereNot('s.norm_email', '')
      .whereExists(db('wizard_sf_contacts as other').select(db.raw('1')).whereRaw('other.norm_email = s.norm_email').whereRaw('other.account_id <> s.account_id'))
      .count({ n: '*' })
      .first(),
  ]);
  const n = (row: unknown) => Number((row as { n?: string | number } | undefined)?.n ?? 0);
  return { organizations: n(orgs), prmContacts: n(prmContacts), sfContacts: n(sfContacts), matched: n(matched), withoutEmail: n(withoutEmail), conflicts: n(conflicts) };
}

/** Saves the admin's choice for one contact after checking it is one the contact offers. */
export async function decideContact(db: Db, input: { side: ContactSide; recordId: string; decision: ContactDecision; actor: string }): Promise<DecisionOutcome> {
  const { side, recordId, decision } = input;
  const pair = await pairOfContact(db, side, recordId);
  if (!pair) throw new DecisionRefused('That contact does not belong to an organization with a "Link" decision (or it no longer exists); link its organization first.');
  const [withContacts] = await contactsOfPairs(db, [pair]);
  const entry = withContacts?.entries.find((e) => e.side === side && e.recordId === recordId);
  if (!entry || entry.decision === null) throw new DecisionRefused('That contact cannot be synced (no email, opted out, or a duplicate email), so there is nothing to decide.');
  if (pair.applied) throw new DecisionRefused(`The contacts of “${pair.organizationName}” were applied already.`);
  if (!entry.options.includes(decision)) throw new DecisionRefused(`“${decision}” is not a choice for this contact; choose ${entry.options.join(' or ')}.`);
  await db('wizard_contact_decisions')
    .insert({ side, record_id: recordId, decision, decided_by: input.actor, decided_at: db.fn.now() })
    .onConflict(['side', 'record_id'])
    .merge(['decision', 'decided_by', 'decided_at']);
  const who = entry.prm?.name ?? entry.sf?.name ?? recordId;
  const what = decision === 'link' ? 'will be linked' : decision === 'create' ? (side === 'prm' ? 'will be created in Salesforce' : 'will be created in the PRM') : 'will not be synced';
  return { message: `Contact “${who}” ${what}.` };
}

async function pairOfContact(db: Db, side: ContactSide, recordId: string): Promise<LinkedPair | null> {
  const base = pairsQuery(db, '').select('d.prm_id', 'o.name as organization_name', 'd.sf_id', 'a.name as account_name', 'd.applied_at');
  if (side === 'prm') {
    if (!/^[0-9a-f-]{36}$/i.test(recordId)) return null;
    base.whereIn('d.prm_id', db('contacts').where({ id: recordId }).whereNull('deleted_at').select('organization_id'));
  } else {
    base.whereIn('d.sf_id', db('wizard_sf_contacts').where({ sf_id: recordId }).select('account_id'));
  }
  const row = (await base.first()) as Record<string, unknown> | undefined;
  if (!row) return null;
  return { organizationId: String(row.prm_id), organizationName: String(row.organization_name), accountId: String(row.sf_id), accountName: String(row.account_name), applied: Boolean(row.applied_at) };
}
