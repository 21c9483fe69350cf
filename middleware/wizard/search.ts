// "Select Other": a server-side search over the cached flagged accounts. The term is normalized like the
// stored names and addresses and compared with pg_trgm's word similarity (GIN-indexed), so "acme gmbh
// munich" finds "ACME Munich" and a typo still finds the account; an exact phone, website domain or
// Salesforce Id matches too.
import type { Db } from '../db/knex.ts';
import { normalizeName, normalizePhone, normalizeText, normalizeWebsite } from '../matching/normalize.ts';
import type { AccountSummary } from './org-list.ts';
import { likePattern } from './org-list.ts';

export interface SearchHit extends AccountSummary {
  similarity: number;
  /** The organization that already has this account (decision or link); it cannot be linked twice. */
  takenBy: string | null;
}

const SF_ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

/** Word similarity at or above this counts as a hit (pg_trgm's default of 0.6 misses one-letter typos). */
const WORD_SIMILARITY_THRESHOLD = 0.45;

export async function searchAccounts(db: Db, term: string, limit = 20): Promise<SearchHit[]> {
  const raw = term.trim();
  if (raw === '') return [];
  const name = normalizeName(raw) || normalizeText(raw);
  const address = normalizeText(raw);
  const phone = normalizePhone(raw);
  const website = /\.[a-z]{2,}/i.test(raw) ? normalizeWebsite(raw) : '';
  // Each word on its own as well, so "andersen toronto" finds Anderson & Carter in Toronto.
  const words = [...new Set(address.split(' ').filter((word) => word.length >= 3))].slice(0, 5);
  const rank = words.length === 0 ? '0' : `(${words.map(() => "word_similarity(?, a.norm_name || ' ' || a.norm_address)").join(' + ')}) / ${words.length}`;
  // Candidates first, one index-backed query per clue (trigram GIN, primary key, phone and website btrees):
  // a single WHERE with all clues OR-ed tempts the planner into evaluating every clue on every account.
  const branches: Array<[string, string[]]> = [];
  if (name) branches.push(['SELECT sf_id FROM wizard_sf_accounts WHERE ? <% norm_name', [name]]);
  if (address) branches.push(['SELECT sf_id FROM wizard_sf_accounts WHERE ? <% norm_address', [address]]);
  for (const word of words) {
    branches.push(['SELECT sf_id FROM wizard_sf_accounts WHERE ? <% norm_name', [word]]);
    branches.push(['SELECT sf_id FROM wizard_sf_accounts WHERE ? <% norm_address', [word]]);
  }
  if (name.length >= 3) branches.push(['SELECT sf_id FROM wizard_sf_accounts WHERE norm_name LIKE ?', [likePattern(name)]]);
  if (phone) branches.push(["SELECT sf_id FROM wizard_sf_accounts WHERE norm_phone = ? AND norm_phone <> ''", [phone]]);
  if (website) branches.push(["SELECT sf_id FROM wizard_sf_accounts WHERE norm_website = ? AND norm_website <> ''", [website]]);
  if (SF_ID.test(raw)) branches.push(['SELECT sf_id FROM wizard_sf_accounts WHERE sf_id = ?', [raw]]);
  if (branches.length === 0) return [];
  const candidates = db.raw(branches.map(([sql]) => sql).join(' UNION '), branches.flatMap(([, bindings]) => bindings));
  const query = db
    .with('candidates', candidates)
    .from('candidates as c')
    .join('wizard_sf_accounts as a', 'a.sf_id', 'c.sf_id')
    .leftJoin('wizard_org_decisions as d', function joinDecision() {
      this.on('d.sf_id', '=', 'a.sf_id').andOnVal('d.decision', '=', 'link');
    })
    .leftJoin('organizations as o', 'o.id', 'd.prm_id')
    .leftJoin('sync_links as l', function joinLink() {
      this.on('l.sf_id', '=', 'a.sf_id').andOnVal('l.object', '=', 'organization');
    })
    .leftJoin('organizations as lo', 'lo.id', 'l.prm_id')
    .select(
      'a.sf_id', 'a.name', 'a.billing_street', 'a.billing_city', 'a.billing_postal_code', 'a.billing_country', 'a.phone', 'a.website', 'a.status_value',
      db.raw(`greatest(word_similarity(?, a.norm_name), ${rank}, CASE WHEN a.norm_phone = ? OR a.norm_website = ? OR a.sf_id = ? THEN 1 ELSE 0 END) AS similarity`, [name, ...words, phone || '-', website || '-', raw]),
      db.raw('coalesce(o.name, lo.name, CASE WHEN l.id IS NOT NULL THEN ? END) AS taken_by', ['another record (excluded)']),
    )
    .orderBy([{ column: 'similarity', order: 'desc' }, { column: 'a.name' }])
    .limit(limit);
  const rows = (await db.transaction(async (trx) => {
    await trx.raw(`SET LOCAL pg_trgm.word_similarity_threshold = ${WORD_SIMILARITY_THRESHOLD}`);
    return query.transacting(trx);
  })) as Array<Record<string, unknown>>;
  return rows.map((row) => ({
    sfId: String(row.sf_id),
    name: String(row.name),
    street: (row.billing_street as string | null) ?? null,
    city: (row.billing_city as string | null) ?? null,
    postalCode: (row.billing_postal_code as string | null) ?? null,
    country: (row.billing_country as string | null) ?? null,
    phone: (row.phone as string | null) ?? null,
    website: (row.website as string | null) ?? null,
    statusValue: (row.status_value as string | null) ?? null,
    similarity: Math.round(Number(row.similarity) * 100) / 100,
    takenBy: (row.taken_by as string | null) ?? null,
  }));
}
