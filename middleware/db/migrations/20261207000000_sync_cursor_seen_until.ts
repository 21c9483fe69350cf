// The org's clock at the last complete pull, less the overlap (middleware/sync/cursors.ts): the pull's
// lower bound moves past a burst of changes once a later query has seen it, instead of re-reading the
// overlap window behind the newest modstamp on every quiet cycle.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_cursors', (t) => {
    t.timestamp('sf_seen_until', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_cursors', (t) => {
    t.dropColumn('sf_seen_until');
  });
}
