// The PRM side of a benchmark: fill it with generated organizations and contacts, change some of them the
// way the REST API would (new change_seq, version, updated_at), count it, and forget earlier sync state.
import type { Db } from '../../middleware/db/knex.ts';
import { insertPrmSeed } from '../../scripts/seed/insert.ts';
import { benchChunks } from '../lib/prm-data.ts';

export async function seedPrm(db: Db, accounts: number, seed: string): Promise<{ organizations: number; contacts: number }> {
  let organizations = 0;
  let contacts = 0;
  for (const chunk of benchChunks(accounts, seed)) {
    const counts = await insertPrmSeed(db, { organizations: chunk.organizations, contacts: chunk.contacts, groups: [], memberships: [] });
    organizations += counts.organizations;
    contacts += counts.contacts;
  }
  return { organizations, contacts };
}

export async function countPrm(db: Db): Promise<{ organizations: number; contacts: number; links: number }> {
  const count = async (table: string) => Number((await db(table).count({ n: '*' }).first())?.n ?? 0);
  return { organizations: await count('organizations'), contacts: await count('contacts'), links: await count('sync_links') };
}

let revision = 0;

/**
 * Changes `organizations` organizations (their phone) and `contacts` contacts (their title), starting at
 * `offset` in id order — one UPDATE each, stamped like a REST API write.
 */
export async function changePrm(db: Db, organizations: number, contacts: number, offset: number): Promise<null> {
  revision += 1;
  const stamp = { version: db.raw('version + 1'), updated_at: db.fn.now(), change_seq: db.raw("nextval('prm_change_seq')") };
  if (organizations > 0) {
    const ids = db('organizations').select('id').orderBy('id').limit(organizations).offset(offset);
    await db('organizations').whereIn('id', ids).update({ phone: `+1 202 555 ${String(1000 + (revision % 9000))}`, ...stamp });
  }
  if (contacts > 0) {
    const ids = db('contacts').select('id').orderBy('id').limit(contacts).offset(offset);
    await db('contacts').whereIn('id', ids).update({ title: `Partner Manager (rev ${revision})`, ...stamp });
  }
  return null;
}

/** Forgets links, cursors, runs and the log, so the same PRM data can be synced again into a fresh org. */
export async function resetSync(db: Db): Promise<null> {
  for (const table of ['sync_links', 'sync_cursors', 'sync_contact_lookups', 'integration_log', 'sync_runs']) await db(table).delete();
  return null;
}
