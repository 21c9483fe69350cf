// Refresh Data, matching side: every unlinked PRM organization the settings sync, normalized again, against
// every cached account that is not linked yet, through the matching library's in-memory pipeline (spread
// over the CPU cores for large data). The top five per organization are stored with their per-feature
// explanations; the one-to-one assignment's pairs at or above the threshold become pre-selected "Link"
// decisions. Decisions the admin made are kept as they are.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import type { LeftSuggestions } from '../matching/match.ts';
import { normalizeRecord } from '../matching/normalize.ts';
import { matchNormalizedInParallel } from '../matching/parallel.ts';
import type { MatchSettings } from '../matching/score.ts';
import type { NormalizedRecord } from '../matching/types.ts';
import type { TaskProgress } from './tasks.ts';

const BATCH = 1000;
/** Candidates scoring below this are not worth an admin's look: they are not stored. */
export const MIN_SUGGESTION_SCORE = 0.2;

export interface StoredFeature {
  feature: string;
  similarity: number;
  agreed: boolean;
  explanation: string;
}

export interface SuggestionCounts {
  organizations: number;
  accounts: number;
  suggestions: number;
  preselected: number;
}

/**
 * Live PRM organizations with one of `statuses` and no link row of any state. NOT IN over the linked ids
 * (never null here) runs as one hashed subplan, where NOT EXISTS may probe the links once per organization.
 */
export function unlinkedOrganizations(db: Db | Knex.Transaction, statuses: readonly string[]) {
  return db('organizations as o')
    .whereNull('o.deleted_at')
    .whereIn('o.status', statuses)
    .whereNotIn('o.id', db('sync_links').where({ object: 'organization' }).whereNotNull('prm_id').select('prm_id'));
}

/** Cached accounts with no link row of any state. */
export function unlinkedAccounts(db: Db | Knex.Transaction) {
  return db('wizard_sf_accounts as a').whereNotIn('a.sf_id', db('sync_links').where({ object: 'organization' }).whereNotNull('sf_id').select('sf_id'));
}

async function loadLeft(db: Db, statuses: readonly string[]): Promise<{ records: NormalizedRecord[]; sortNames: Map<string, string> }> {
  const rows = (await unlinkedOrganizations(db, statuses).select('o.id', 'o.name', 'o.billing_street', 'o.billing_city', 'o.billing_postal_code', 'o.phone', 'o.website')) as Array<Record<string, string | null>>;
  return {
    records: rows.map((row) =>
      normalizeRecord({ id: String(row.id), name: row.name, street: row.billing_street, city: row.billing_city, postalCode: row.billing_postal_code, phone: row.phone, website: row.website }),
    ),
    sortNames: new Map(rows.map((row) => [String(row.id), sortName(row.name)])),
  };
}

/** The list order of an organization name: lower case, as PostgreSQL's lower() would give for sorting. */
export function sortName(name: string | null | undefined): string {
  return (name ?? '').trim().toLowerCase();
}

async function loadRight(db: Db): Promise<NormalizedRecord[]> {
  const rows = (await unlinkedAccounts(db).select('a.sf_id', 'a.norm_name', 'a.norm_street', 'a.norm_city', 'a.norm_postal_code', 'a.norm_phone', 'a.norm_website')) as Array<Record<string, string>>;
  // Stored already normalized by the same functions: no need to normalize them again.
  return rows.map((row) => ({
    id: String(row.sf_id),
    name: row.norm_name ?? '',
    street: row.norm_street ?? '',
    city: row.norm_city ?? '',
    postalCode: row.norm_postal_code ?? '',
    phone: row.norm_phone ?? '',
    website: row.norm_website ?? '',
  }));
}

const round = (value: number) => Math.round(value * 1000) / 1000;

function suggestionRows(entry: LeftSuggestions): Array<Record<string, unknown>> {
  return entry.suggestions.map((suggestion, rank) => ({
    prm_id: entry.leftId,
    rank,
    sf_id: suggestion.rightId,
    score: round(suggestion.score),
    preselected: suggestion.preselected,
    features: JSON.stringify(
      suggestion.features.map((feature): StoredFeature => ({ feature: feature.feature, similarity: round(feature.similarity), agreed: feature.agreed, explanation: feature.explanation })),
    ),
  }));
}

export async function recomputeSuggestions(db: Db, settings: MatchSettings, statuses: readonly string[], progress: TaskProgress): Promise<SuggestionCounts> {
  progress.phase('Normalizing PRM organizations');
  const [{ records: left, sortNames }, right] = await Promise.all([loadLeft(db, statuses), loadRight(db)]);
  progress.phase(`Matching ${left.length.toLocaleString('en-US')} organizations against ${right.length.toLocaleString('en-US')} accounts`);
  const matched = await matchNormalizedInParallel(left, right, settings, { explain: true });
  const result = { suggestions: matched.suggestions.map((entry) => ({ ...entry, suggestions: entry.suggestions.filter((s) => s.score >= MIN_SUGGESTION_SCORE) })) };

  progress.phase('Storing suggestions', result.suggestions.length);
  let suggestions = 0;
  await db.transaction(async (trx) => {
    await trx('wizard_suggestions').delete();
    for (let start = 0; start < result.suggestions.length; start += BATCH) {
      const rows = result.suggestions.slice(start, start + BATCH).flatMap(suggestionRows);
      suggestions += rows.length;
      for (let offset = 0; offset < rows.length; offset += BATCH) await trx('wizard_suggestions').insert(rows.slice(offset, offset + BATCH));
      progress.advance(Math.min(start + BATCH, result.suggestions.length));
    }
  });

  progress.phase('Pre-selecting suggestions at or above the threshold', result.suggestions.length);
  const preselected = await storeDecisionSummaries(db, result.suggestions, sortNames, statuses, progress);
  return { organizations: left.length, accounts: right.length, suggestions, preselected };
}

/**
 * One decision row per matched organization with its best score. The admin's own decisions stay; every
 * other unapplied row is recomputed: the pre-selected suggestion becomes a "Link" unless the admin chose
 * that account for another organization, otherwise the organization is undecided.
 */
async function storeDecisionSummaries(db: Db, entries: readonly LeftSuggestions[], sortNames: ReadonlyMap<string, string>, statuses: readonly string[], progress: TaskProgress): Promise<number> {
  let preselected = 0;
  await db.transaction(async (trx) => {
    // Organizations deleted, linked or no longer synced since: their open decisions no longer apply.
    await trx('wizard_org_decisions as d')
      .whereNull('d.applied_at')
      .whereNotExists(unlinkedOrganizations(trx, statuses).select(trx.raw('1')).whereRaw('o.id = d.prm_id'))
      .delete();
    const admin = (await trx('wizard_org_decisions').where({ origin: 'admin' }).orWhereNotNull('applied_at').select('prm_id', 'sf_id', 'decision')) as Array<{ prm_id: string; sf_id: string | null; decision: string }>;
    const kept = new Set(admin.map((row) => row.prm_id));
    const taken = new Set(admin.filter((row) => row.decision === 'link' && row.sf_id).map((row) => row.sf_id as string));
    // Free every recomputed row's account first, so moving a pre-selection never trips the unique index.
    await trx('wizard_org_decisions').where({ decision: 'link' }).whereNot({ origin: 'admin' }).whereNull('applied_at').update({ decision: 'undecided', sf_id: null, origin: 'matcher' });
    const summaries: Array<Record<string, unknown>> = [];
    const recomputed: Array<Record<string, unknown>> = [];
    for (const entry of entries) {
      const best = entry.suggestions[0]?.score;
      const summary = { prm_id: entry.leftId, best_score: best === undefined ? null : round(best), suggestion_count: entry.suggestions.length, sort_name: sortNames.get(entry.leftId) ?? '' };
      if (kept.has(entry.leftId)) {
        summaries.push(summary);
        continue;
      }
      const chosen = entry.suggestions.find((suggestion) => suggestion.preselected && !taken.has(suggestion.rightId));
      if (chosen) preselected += 1;
      recomputed.push({ ...summary, decision: chosen ? 'link' : 'undecided', sf_id: chosen?.rightId ?? null, origin: chosen ? 'preselected' : 'matcher', decided_by: null, decided_at: null });
    }
    for (let start = 0; start < summaries.length; start += BATCH) {
      await trx('wizard_org_decisions').insert(summaries.slice(start, start + BATCH)).onConflict('prm_id').merge(['best_score', 'suggestion_count', 'sort_name']);
    }
    for (let start = 0; start < recomputed.length; start += BATCH) {
      await trx('wizard_org_decisions').insert(recomputed.slice(start, start + BATCH)).onConflict('prm_id').merge();
      progress.advance(summaries.length + Math.min(start + BATCH, recomputed.length));
    }
  });
  return preselected;
}
