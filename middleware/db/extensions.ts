// The PostgreSQL extensions prm-sync needs. `CREATE EXTENSION IF NOT EXISTS` is not safe against itself:
// two sessions creating the same extension at once (replicas migrating separate schemas of one fresh
// database, parallel test files) make the loser fail with a duplicate key on pg_extension. A
// transaction-scoped advisory lock serialises the creators; the second then finds it present.
import type { Knex } from 'knex';

/** Arbitrary but fixed: the advisory lock key that guards extension creation. */
const EXTENSION_LOCK_KEY = 0x70726d01;

export async function ensureTrigramExtension(knex: Knex): Promise<void> {
  const create = async (trx: Knex.Transaction | Knex) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [EXTENSION_LOCK_KEY]);
    await trx.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  };
  // Inside a migration knex already holds a transaction; elsewhere open one so the lock is scoped to it.
  if ((knex as Knex.Transaction).isTransaction) await create(knex);
  else await knex.transaction(create);
}
