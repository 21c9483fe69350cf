// The Organizations page's reads: one page of unlinked PRM organizations with their decisions and stored
// suggestions, and the flagged Salesforce accounts nobody has chosen. A page is a handful of indexed
// queries over stored results; nothing is matched or scored here.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { OrgDecision, AccountDecision } from './decisions.ts';
import type { StoredFeature } from './suggest.ts';
import { unlinkedOrganizations } from './suggest.ts';

export const SCORE_FILTERS = ['all', 'above', 'below', 'none'] as const;
export type ScoreFilter = (typeof SCORE_FILTERS)[number];

export interface OrgFilters {
  q: string;
  decision: OrgDecision | 'all';
  score: ScoreFilter;
}

export interface AccountSummary {
  sfId: string;
  name: string;
  street: string | null;
  city: string | null;
  postalCode: string | null;
  country: string | null;
  phone: string | null;
  website: string | null;
  statusValue: string | null;
}

export interface SuggestionView extends AccountSummary {
  rank: number;
  score: number;
  preselected: boolean;
  features: StoredFeature[];
  /** Another organization whose decision uses this account (it cannot be linked twice). */
  takenBy: string | null;
}

export interface OrganizationRow {
  id: string;
  name: string;
  kind: string;
  status: string;
  website: string | null;
  phone: string | null;
  street: string | null;
  city: string | null;
  postalCode: string | null;
  country: string | null;
  decision: OrgDecision;
  origin: string | null;
  sfId: string | null;
  bestScore: number | null;
  decidedBy: string | null;
  suggestions: SuggestionView[];
  /** The linked account when it is not among the suggestions (chosen through Select Other). */
  chosen: AccountSummary | null;
}

export interface OrganizationPage {
  total: number;
  byDecision: Record<OrgDecision, number>;
  rows: OrganizationRow[];
}

/** `%term%` for LIKE with the term's own wildcards escaped. */
export function likePattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The open (unapplied) decisions matching the filters. There is one per organization offered by the last
 * Refresh Data (and per organization decided since), so lists and counts walk this table's indexes instead
 * of anti-joining every organization with the links; rows whose organization was deleted or linked
 * elsewhere since are dropped when the page is read, and from the table by the next Refresh Data.
 */
function openDecisions(db: Db, threshold: number, filters: Omit<OrgFilters, 'decision'>): Knex.QueryBuilder {
  const query = db('wizard_org_decisions as d').whereNull('d.applied_at');
  if (filters.q) query.join('organizations as o', 'o.id', 'd.prm_id').whereRaw('lower(o.name) LIKE ?', [likePattern(filters.q)]);
  if (filters.score === 'above') query.where('d.best_score', '>=', threshold);
  if (filters.score === 'below') query.where('d.best_score', '<', threshold);
  if (filters.score === 'none') query.whereNull('d.best_score');
  return query;
}

/** Organizations the settings sync that were added after `since` (Refresh Data has not seen them yet). */
export async function organizationsAddedSince(db: Db, since: Date, statuses: readonly string[]): Promise<number> {
  const row = (await db('organizations').where('created_at', '>', since).whereNull('deleted_at').whereIn('status', statuses).count({ n: '*' }).first()) as { n?: string | number } | undefined;
  return Number(row?.n ?? 0);
}

const accountSummary = (row: Record<string, unknown>): AccountSummary => ({
  sfId: String(row.sf_id),
  name: String(row.name ?? row.sf_id),
  street: (row.billing_street as string | null) ?? null,
  city: (row.billing_city as string | null) ?? null,
  postalCode: (row.billing_postal_code as string | null) ?? null,
  country: (row.billing_country as string | null) ?? null,
  phone: (row.phone as string | null) ?? null,
  website: (row.website as string | null) ?? null,
  statusValue: (row.status_value as string | null) ?? null,
});

const ACCOUNT_COLUMNS = ['a.sf_id', 'a.name', 'a.billing_street', 'a.billing_city', 'a.billing_postal_code', 'a.billing_country', 'a.phone', 'a.website', 'a.status_value'];

function parseFeatures(value: unknown): StoredFeature[] {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(parsed) ? (parsed as StoredFeature[]) : [];
}

export async function listOrganizations(db: Db, statuses: readonly string[], threshold: number, filters: OrgFilters, limit: number, offset: number): Promise<OrganizationPage> {
  const grouped = (await openDecisions(db, threshold, filters).select('d.decision').count({ n: '*' }).groupBy('d.decision')) as Array<{ decision: OrgDecision; n: string | number }>;
  const byDecision: Record<OrgDecision, number> = { link: 0, create_new: 0, dont_sync: 0, undecided: 0 };
  for (const row of grouped) byDecision[row.decision] = Number(row.n);
  const total = filters.decision === 'all' ? Object.values(byDecision).reduce((a, b) => a + b, 0) : byDecision[filters.decision];
  if (limit === 0) return { total, byDecision, rows: [] };

  // The page's ids first (an index walk, deep pages included), then their rows with the live checks.
  const pageIds = openDecisions(db, threshold, filters).orderBy([{ column: 'd.sort_name' }, { column: 'd.prm_id' }]).limit(limit).offset(offset).select('d.prm_id');
  if (filters.decision !== 'all') pageIds.where('d.decision', filters.decision);
  const ids = ((await pageIds) as Array<{ prm_id: string }>).map((row) => row.prm_id);
  if (ids.length === 0) return { total, byDecision, rows: [] };
  const order = new Map(ids.map((id, index) => [id, index]));
  const rows = ((await unlinkedOrganizations(db, statuses)
    .join('wizard_org_decisions as d', 'd.prm_id', 'o.id')
    .whereIn('o.id', ids)
    .select('o.id', 'o.name', 'o.kind', 'o.status', 'o.website', 'o.phone', 'o.billing_street', 'o.billing_city', 'o.billing_postal_code', 'o.billing_country', 'd.decision', 'd.sf_id', 'd.origin', 'd.best_score', 'd.decided_by')) as Array<Record<string, unknown>>)
    .sort((a, b) => (order.get(String(a.id)) ?? 0) - (order.get(String(b.id)) ?? 0));
  if (rows.length === 0) return { total, byDecision, rows: [] };

  const suggestionRows = (await db('wizard_suggestions as s')
    .join('wizard_sf_accounts as a', 'a.sf_id', 's.sf_id')
    .whereIn('s.prm_id', ids)
    .orderBy([{ column: 's.prm_id' }, { column: 's.rank' }])
    .select('s.prm_id', 's.rank', 's.score', 's.preselected', 's.features', ...ACCOUNT_COLUMNS)) as Array<Record<string, unknown>>;
  const chosenIds = rows.map((row) => row.sf_id).filter((id): id is string => typeof id === 'string');
  const accountIds = [...new Set([...suggestionRows.map((row) => String(row.sf_id)), ...chosenIds])];
  const holders = accountIds.length === 0 ? [] : ((await db('wizard_org_decisions as d').join('organizations as o', 'o.id', 'd.prm_id').where('d.decision', 'link').whereIn('d.sf_id', accountIds).select('d.sf_id', 'd.prm_id', 'o.name')) as Array<{ sf_id: string; prm_id: string; name: string }>);
  const linked = accountIds.length === 0 ? [] : ((await db('sync_links as l').leftJoin('organizations as o', 'o.id', 'l.prm_id').where('l.object', 'organization').whereIn('l.sf_id', accountIds).select('l.sf_id', 'l.prm_id', 'o.name')) as Array<{ sf_id: string; prm_id: string | null; name: string | null }>);
  const holderOf = new Map<string, { prmId: string | null; name: string }>();
  for (const row of linked) holderOf.set(row.sf_id, { prmId: row.prm_id, name: row.name ?? 'another record (excluded)' });
  for (const row of holders) holderOf.set(row.sf_id, { prmId: row.prm_id, name: row.name });
  const chosenRows = chosenIds.length === 0 ? [] : ((await db('wizard_sf_accounts as a').whereIn('a.sf_id', chosenIds).select(...ACCOUNT_COLUMNS)) as Array<Record<string, unknown>>);
  const chosenById = new Map(chosenRows.map((row) => [String(row.sf_id), accountSummary(row)]));

  const suggestionsByOrg = new Map<string, SuggestionView[]>();
  for (const row of suggestionRows) {
    const holder = holderOf.get(String(row.sf_id));
    const list = suggestionsByOrg.get(String(row.prm_id)) ?? [];
    list.push({
      ...accountSummary(row),
      rank: Number(row.rank),
      score: Number(row.score),
      preselected: row.preselected === true,
      features: parseFeatures(row.features),
      takenBy: holder && holder.prmId !== row.prm_id ? holder.name : null,
    });
    suggestionsByOrg.set(String(row.prm_id), list);
  }

  return {
    total,
    byDecision,
    rows: rows.map((row) => {
      const id = String(row.id);
      const suggestions = suggestionsByOrg.get(id) ?? [];
      const sfId = (row.sf_id as string | null) ?? null;
      return {
        id,
        name: String(row.name),
        kind: String(row.kind),
        status: String(row.status),
        website: (row.website as string | null) ?? null,
        phone: (row.phone as string | null) ?? null,
        street: (row.billing_street as string | null) ?? null,
        city: (row.billing_city as string | null) ?? null,
        postalCode: (row.billing_postal_code as string | null) ?? null,
        country: (row.billing_country as string | null) ?? null,
        decision: ((row.decision as OrgDecision | null) ?? 'undecided'),
        origin: (row.origin as string | null) ?? null,
        sfId,
        bestScore: row.best_score === null || row.best_score === undefined ? null : Number(row.best_score),
        decidedBy: (row.decided_by as string | null) ?? null,
        suggestions,
        chosen: sfId && !suggestions.some((s) => s.sfId === sfId) ? (chosenById.get(sfId) ?? null) : null,
      };
    }),
  };
}

export interface UnmatchedAccount extends AccountSummary {
  decision: AccountDecision;
  categorized: boolean;
}

/** Flagged accounts not linked and not chosen by any organization's decision: "Create in PRM" candidates. */
function unmatchedAccounts(db: Db, q: string): Knex.QueryBuilder {
  const query = db('wizard_sf_accounts as a')
    .leftJoin('wizard_account_decisions as ad', 'ad.sf_id', 'a.sf_id')
    .whereNotExists(db('wizard_org_decisions as d').select(db.raw('1')).where('d.decision', 'link').whereRaw('d.sf_id = a.sf_id'))
    .whereNotExists(db('sync_links as l').select(db.raw('1')).where('l.object', 'organization').whereRaw('l.sf_id = a.sf_id'));
  if (q) query.whereRaw('lower(a.name) LIKE ?', [likePattern(q)]);
  return query;
}

export async function listUnmatchedAccounts(db: Db, q: string, categorizing: ReadonlySet<string>, limit: number, offset: number): Promise<{ total: number; byDecision: Record<AccountDecision, number>; rows: UnmatchedAccount[] }> {
  const grouped = (await unmatchedAccounts(db, q)
    .select(db.raw("coalesce(ad.decision, 'undecided') AS decision"))
    .count({ n: '*' })
    .groupByRaw("coalesce(ad.decision, 'undecided')")) as Array<{ decision: AccountDecision; n: string | number }>;
  const byDecision: Record<AccountDecision, number> = { create_in_prm: 0, dont_sync: 0, undecided: 0 };
  for (const row of grouped) byDecision[row.decision] = Number(row.n);
  const total = Object.values(byDecision).reduce((a, b) => a + b, 0);
  if (limit === 0) return { total, byDecision, rows: [] };
  const rows = (await unmatchedAccounts(db, q)
    .select(...ACCOUNT_COLUMNS, 'ad.decision')
    .orderByRaw('lower(a.name), a.sf_id')
    .limit(limit)
    .offset(offset)) as Array<Record<string, unknown>>;
  return {
    total,
    byDecision,
    rows: rows.map((row) => {
      const summary = accountSummary(row);
      return { ...summary, decision: (row.decision as AccountDecision | null) ?? 'undecided', categorized: summary.statusValue !== null && categorizing.has(summary.statusValue) };
    }),
  };
}
