// The sync's own state: links between PRM and Salesforce records (with the agreed snapshot), per-object
// cursors, run records and the integration log.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sync_links', (t) => {
    t.bigIncrements('id');
    t.text('object').notNullable(); // organization | contact
    t.uuid('prm_id');
    t.text('sf_id');
    t.text('state').notNullable().defaultTo('linked'); // linked | excluded | disconnected | deleted
    t.jsonb('snapshot').notNullable().defaultTo('{}');
    t.timestamp('sf_modstamp', { useTz: true });
    t.bigInteger('prm_change_seq');
    t.timestamp('last_synced_at', { useTz: true });
    // Work a crash or a per-record failure left unfinished; retried on the next cycle whatever the cursors say.
    t.boolean('needs_retry').notNullable().defaultTo(false);
    t.text('last_error');
    t.timestamps(true, true);
  });
  await knex.raw('CREATE UNIQUE INDEX sync_links_prm ON sync_links (object, prm_id) WHERE prm_id IS NOT NULL');
  await knex.raw('CREATE UNIQUE INDEX sync_links_sf ON sync_links (object, sf_id) WHERE sf_id IS NOT NULL');
  await knex.raw('CREATE INDEX sync_links_retry ON sync_links (object) WHERE needs_retry');

  await knex.schema.createTable('sync_cursors', (t) => {
    t.text('object').primary();
    t.timestamp('sf_modstamp', { useTz: true });
    t.text('sf_last_id');
    t.integer('overlap_ms').notNullable().defaultTo(60_000);
    t.bigInteger('prm_change_seq').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('sync_runs', (t) => {
    t.uuid('id').primary();
    t.text('job').notNullable(); // accounts_contacts | deals | full_reconcile | record
    t.text('mode').notNullable(); // incremental | full | record | dry_run
    t.text('status').notNullable(); // running | succeeded | failed | paused | skipped
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.jsonb('counts').notNullable().defaultTo('{}');
    t.jsonb('progress').notNullable().defaultTo('{}');
    t.integer('api_calls').notNullable().defaultTo(0);
    t.jsonb('api_calls_by_endpoint').notNullable().defaultTo('{}');
    t.text('error');
    t.text('instance'); // which replica ran it
  });
  await knex.raw('CREATE INDEX sync_runs_started ON sync_runs (job, started_at DESC)');

  await knex.schema.createTable('integration_log', (t) => {
    t.bigIncrements('id');
    t.uuid('run_id').references('id').inTable('sync_runs').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('level').notNullable(); // info | warning | error
    t.text('object');
    t.uuid('prm_id');
    t.text('sf_id');
    t.text('code').notNullable();
    t.text('message').notNullable();
    t.text('suggestion');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('resolved_at', { useTz: true });
  });
  await knex.raw('CREATE INDEX integration_log_run ON integration_log (run_id)');
  await knex.raw('CREATE INDEX integration_log_code ON integration_log (code, created_at DESC)');
  await knex.raw('CREATE INDEX integration_log_record ON integration_log (prm_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('integration_log');
  await knex.schema.dropTableIfExists('sync_runs');
  await knex.schema.dropTableIfExists('sync_cursors');
  await knex.schema.dropTableIfExists('sync_links');
}
