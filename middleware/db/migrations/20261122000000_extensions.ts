// pg_trgm powers the matching wizard's blocking (trigram similarity on names and addresses).
import type { Knex } from 'knex';
import { ensureTrigramExtension } from '../extensions.ts';

export async function up(knex: Knex): Promise<void> {
  await ensureTrigramExtension(knex);
}

export async function down(): Promise<void> {
  // Extensions are database-wide: other schemas in a shared PostgreSQL (replicas' test schemas, other
  // apps) may use pg_trgm, so rolling back prm-sync must not drop it.
}
