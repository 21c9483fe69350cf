// The wizard's pages say how many organizations were added since the last Refresh Data
// (wizard/org-list.ts organizationsAddedSince): an index keeps that count a lookup, not a table scan.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX organizations_created_at ON organizations (created_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX organizations_created_at');
}
