// The admin console's state: per-job controls of the scheduler (pause, next planned run), shared by
// every replica.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('job_controls', (t) => {
    t.string('job', 40).primary(); // the sync_runs job name: accounts_contacts | deals
    t.boolean('paused').notNullable().defaultTo(false);
    t.string('paused_by', 254);
    t.timestamp('paused_at', { useTz: true });
    t.timestamp('next_run_at', { useTz: true }); // as planned by the replica that scheduled it last
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('job_controls');
}
