// The matching wizard's working tables: a cache of the flagged Salesforce accounts and their contacts
// (raw values for the merge preview, normalized values for matching, trigram indexes for the server-side
// "Select Other" search), the stored suggestions, the admin's decisions, the history of every applied link
// (field-level before/after, for undo) and the wizard's background tasks (Refresh Data, apply).
import type { Knex } from 'knex';

const TABLES = [
  'wizard_tasks',
  'wizard_link_history',
  'wizard_contact_decisions',
  'wizard_account_decisions',
  'wizard_org_decisions',
  'wizard_suggestions',
  'wizard_sf_contacts',
  'wizard_sf_accounts',
] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('wizard_sf_accounts', (t) => {
    t.text('sf_id').primary();
    t.text('name').notNullable();
    t.text('website');
    t.text('phone');
    t.text('billing_street');
    t.text('billing_city');
    t.text('billing_state');
    t.text('billing_postal_code');
    t.text('billing_country');
    t.text('status_value'); // the partner status picklist's raw value
    t.text('prm_id_value'); // PRM_Id__c as Salesforce holds it
    t.jsonb('fields').notNullable().defaultTo('{}'); // every field read, raw, for the merge preview
    t.text('norm_name').notNullable().defaultTo('');
    t.text('norm_street').notNullable().defaultTo('');
    t.text('norm_city').notNullable().defaultTo('');
    t.text('norm_postal_code').notNullable().defaultTo('');
    t.text('norm_phone').notNullable().defaultTo('');
    t.text('norm_website').notNullable().defaultTo('');
    t.text('norm_address').notNullable().defaultTo(''); // street and city, for trigram blocking
    t.timestamp('last_modified', { useTz: true });
    t.timestamp('refreshed_at', { useTz: true }).notNullable();
  });
  await knex.raw('CREATE INDEX wizard_sf_accounts_name_trgm ON wizard_sf_accounts USING gin (norm_name gin_trgm_ops)');
  await knex.raw('CREATE INDEX wizard_sf_accounts_address_trgm ON wizard_sf_accounts USING gin (norm_address gin_trgm_ops)');
  await knex.raw("CREATE INDEX wizard_sf_accounts_phone ON wizard_sf_accounts (norm_phone) WHERE norm_phone <> ''");
  await knex.raw("CREATE INDEX wizard_sf_accounts_website ON wizard_sf_accounts (norm_website) WHERE norm_website <> ''");
  await knex.raw('CREATE INDEX wizard_sf_accounts_sort ON wizard_sf_accounts (lower(name), sf_id)');

  await knex.schema.createTable('wizard_sf_contacts', (t) => {
    t.text('sf_id').primary();
    t.text('account_id').notNullable();
    t.text('first_name');
    t.text('last_name');
    t.text('email');
    t.text('norm_email').notNullable().defaultTo('');
    t.boolean('opted_out').notNullable().defaultTo(false);
    t.text('prm_id_value');
    t.jsonb('fields').notNullable().defaultTo('{}');
    t.timestamp('refreshed_at', { useTz: true }).notNullable();
  });
  await knex.raw('CREATE INDEX wizard_sf_contacts_account ON wizard_sf_contacts (account_id)');
  await knex.raw("CREATE INDEX wizard_sf_contacts_email ON wizard_sf_contacts (norm_email) WHERE norm_email <> ''");

  await knex.schema.createTable('wizard_suggestions', (t) => {
    t.uuid('prm_id').notNullable();
    t.smallint('rank').notNullable();
    t.text('sf_id').notNullable();
    t.float('score').notNullable();
    t.boolean('preselected').notNullable().defaultTo(false);
    t.jsonb('features').notNullable().defaultTo('[]'); // [{ feature, similarity, agreed, explanation }]
    t.primary(['prm_id', 'rank']);
  });
  await knex.raw('CREATE INDEX wizard_suggestions_sf ON wizard_suggestions (sf_id)');

  await knex.schema.createTable('wizard_org_decisions', (t) => {
    t.uuid('prm_id').primary();
    t.text('decision').notNullable().defaultTo('undecided').checkIn(['link', 'create_new', 'dont_sync', 'undecided'], 'wizard_org_decisions_decision_check');
    t.text('sf_id');
    // preselected: the matcher's choice at or above the threshold (recomputed on Refresh); admin: kept.
    t.text('origin').notNullable().defaultTo('matcher').checkIn(['matcher', 'preselected', 'admin'], 'wizard_org_decisions_origin_check');
    t.float('best_score'); // null: no suggestion
    t.smallint('suggestion_count').notNullable().defaultTo(0);
    // lower(name) as of the last Refresh Data: the list pages walk an index in this order.
    t.text('sort_name').notNullable().defaultTo('');
    t.text('decided_by');
    t.timestamp('decided_at', { useTz: true });
    t.timestamp('applied_at', { useTz: true });
    t.text('apply_error');
  });
  await knex.raw("CREATE UNIQUE INDEX wizard_org_decisions_sf ON wizard_org_decisions (sf_id) WHERE decision = 'link'");
  await knex.raw('CREATE INDEX wizard_org_decisions_open ON wizard_org_decisions (sort_name, prm_id) WHERE applied_at IS NULL');
  await knex.raw('CREATE INDEX wizard_org_decisions_open_by_decision ON wizard_org_decisions (decision, sort_name, prm_id) WHERE applied_at IS NULL');
  await knex.raw("ALTER TABLE wizard_org_decisions ADD CONSTRAINT wizard_org_decisions_link_target CHECK ((decision = 'link') = (sf_id IS NOT NULL))");

  await knex.schema.createTable('wizard_account_decisions', (t) => {
    t.text('sf_id').primary();
    t.text('decision').notNullable().checkIn(['create_in_prm', 'dont_sync', 'undecided'], 'wizard_account_decisions_decision_check');
    t.text('decided_by');
    t.timestamp('decided_at', { useTz: true });
    t.timestamp('applied_at', { useTz: true });
    t.text('apply_error');
  });

  // Contacts have a default decision each (link an email match, create the others); only the admin's
  // changes are stored.
  await knex.schema.createTable('wizard_contact_decisions', (t) => {
    t.text('side').notNullable().checkIn(['prm', 'salesforce'], 'wizard_contact_decisions_side_check');
    t.text('record_id').notNullable();
    t.text('decision').notNullable().checkIn(['link', 'create', 'dont_sync'], 'wizard_contact_decisions_decision_check');
    t.text('decided_by');
    t.timestamp('decided_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('applied_at', { useTz: true });
    t.primary(['side', 'record_id']);
  });

  await knex.schema.createTable('wizard_link_history', (t) => {
    t.bigIncrements('id');
    t.bigInteger('link_id'); // sync_links.id; kept after the link is removed by an undo
    t.text('object').notNullable(); // organization | contact
    t.uuid('prm_id');
    t.text('sf_id');
    t.text('action').notNullable().checkIn(['link', 'create_in_salesforce', 'create_in_prm', 'exclude'], 'wizard_link_history_action_check');
    t.jsonb('prm_changes').notNullable().defaultTo('{}'); // { column: { before, after } }
    t.jsonb('sf_changes').notNullable().defaultTo('{}'); // { Field: { before, after } }
    t.uuid('run_id');
    t.text('applied_by');
    t.timestamp('applied_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('undone_at', { useTz: true });
    t.text('undone_by');
  });
  await knex.raw('CREATE INDEX wizard_link_history_prm ON wizard_link_history (object, prm_id)');
  await knex.raw('CREATE INDEX wizard_link_history_link ON wizard_link_history (link_id)');

  await knex.schema.createTable('wizard_tasks', (t) => {
    t.uuid('id').primary();
    t.text('kind').notNullable().checkIn(['refresh', 'apply'], 'wizard_tasks_kind_check');
    t.text('status').notNullable().checkIn(['running', 'succeeded', 'failed'], 'wizard_tasks_status_check');
    t.text('phase');
    t.integer('done').notNullable().defaultTo(0);
    t.integer('total').notNullable().defaultTo(0);
    t.jsonb('counts').notNullable().defaultTo('{}');
    t.text('error');
    t.text('started_by');
    t.text('instance');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('heartbeat_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
  });
  await knex.raw('CREATE INDEX wizard_tasks_recent ON wizard_tasks (kind, started_at DESC)');
  // One wizard task at a time across replicas: a second insert while one runs fails on this index.
  await knex.raw("CREATE UNIQUE INDEX wizard_tasks_one_running ON wizard_tasks ((true)) WHERE status = 'running'");
}

export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) await knex.schema.dropTableIfExists(table);
}
