// The accounts whose Salesforce contacts are still to be looked up (see migration
// 20261203000000_sync_contact_lookups.ts): added in the transaction that links an account, read and
// removed by the contact pass that looks their contacts up.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';

const TABLE = 'sync_contact_lookups';
const CHUNK = 1000;

export const contactLookupsRepository = {
  async add(db: Db | Knex.Transaction, sfAccountIds: readonly string[]): Promise<void> {
    const ids = [...new Set(sfAccountIds)];
    for (let start = 0; start < ids.length; start += CHUNK) {
      const rows = ids.slice(start, start + CHUNK).map((sf_account_id) => ({ sf_account_id }));
      await db(TABLE).insert(rows).onConflict('sf_account_id').ignore();
    }
  },

  async due(db: Db): Promise<string[]> {
    return (await db(TABLE).orderBy('sf_account_id').pluck('sf_account_id')) as string[];
  },

  async done(db: Db, sfAccountIds: readonly string[]): Promise<void> {
    for (let start = 0; start < sfAccountIds.length; start += CHUNK) await db(TABLE).whereIn('sf_account_id', sfAccountIds.slice(start, start + CHUNK)).delete();
  },
};
