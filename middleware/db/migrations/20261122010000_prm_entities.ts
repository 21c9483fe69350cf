// The PRM side's own data: organizations, contacts/users, groups and deal registrations. One sequence,
// prm_change_seq, stamps every insert, update and soft delete of the synced entities; it is the sync's PRM
// cursor (no clocks involved). The repositories set `change_seq = nextval('prm_change_seq')` in the same
// statement as the write; the column default covers inserts made any other way.
import type { Knex } from 'knex';

const ENTITY_TABLES = ['organizations', 'contacts', 'deal_registrations'] as const;

/** The concatenated billing address the trigram index covers; middleware/prm/search.ts repeats it verbatim. */
const ADDRESS_EXPRESSION =
  "lower(coalesce(billing_street, '') || ' ' || coalesce(billing_city, '') || ' ' || coalesce(billing_state, '') || ' ' || coalesce(billing_postal_code, '') || ' ' || coalesce(billing_country, ''))";

function bookkeeping(knex: Knex, t: Knex.CreateTableBuilder, options: { changeSeq: boolean }): void {
  t.jsonb('custom').notNullable().defaultTo(knex.raw("'{}'::jsonb"));
  t.integer('version').notNullable().defaultTo(1);
  t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  t.timestamp('deleted_at', { useTz: true });
  if (options.changeSeq) t.bigInteger('change_seq').notNullable().defaultTo(knex.raw("nextval('prm_change_seq')"));
}

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE SEQUENCE prm_change_seq AS bigint');

  await knex.schema.createTable('organizations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('kind', 20).notNullable().checkIn(['partner', 'distributor'], 'organizations_kind_check');
    t.string('status', 20).notNullable().defaultTo('active').checkIn(['active', 'prospective', 'inactive'], 'organizations_status_check');
    t.string('name', 255).notNullable();
    t.string('website', 255);
    t.string('phone', 40);
    t.string('billing_street', 255);
    t.string('billing_city', 100);
    t.string('billing_state', 100);
    t.string('billing_postal_code', 20);
    t.string('billing_country', 100);
    bookkeeping(knex, t, { changeSeq: true });
  });
  await knex.raw('CREATE INDEX organizations_name_trgm ON organizations USING gin (lower(name) gin_trgm_ops)');
  await knex.raw(`CREATE INDEX organizations_address_trgm ON organizations USING gin ((${ADDRESS_EXPRESSION}) gin_trgm_ops)`);
  await knex.raw('CREATE INDEX organizations_kind_status ON organizations (kind, status) WHERE deleted_at IS NULL');

  await knex.schema.createTable('contacts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('organization_id').notNullable().references('id').inTable('organizations').onDelete('RESTRICT');
    t.string('first_name', 100);
    t.string('last_name', 100).notNullable();
    t.string('email', 254);
    t.string('phone', 40);
    t.string('title', 128);
    t.boolean('is_user').notNullable().defaultTo(false);
    t.boolean('user_active').notNullable().defaultTo(false);
    bookkeeping(knex, t, { changeSeq: true });
  });
  // Case-insensitive uniqueness per organization among live contacts; the repository also stores emails
  // trimmed and lower-cased, so lower() only guards rows written some other way.
  await knex.raw('CREATE UNIQUE INDEX contacts_org_email_unique ON contacts (organization_id, lower(email)) WHERE deleted_at IS NULL AND email IS NOT NULL');
  await knex.raw('CREATE INDEX contacts_email ON contacts (lower(email)) WHERE deleted_at IS NULL');
  await knex.raw('CREATE INDEX contacts_organization ON contacts (organization_id)');

  await knex.schema.createTable('groups', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('name', 255).notNullable();
    t.string('kind', 20).notNullable().checkIn(['partner', 'distributor'], 'groups_kind_check');
    t.specificType('modules', 'text[]').notNullable().defaultTo(knex.raw("'{}'::text[]"));
    bookkeeping(knex, t, { changeSeq: false });
  });
  await knex.raw('CREATE UNIQUE INDEX groups_name_unique ON groups (lower(name)) WHERE deleted_at IS NULL');

  await knex.schema.createTable('group_members', (t) => {
    t.uuid('group_id').notNullable().references('id').inTable('groups').onDelete('CASCADE');
    t.uuid('contact_id').notNullable().references('id').inTable('contacts').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['group_id', 'contact_id']);
  });
  await knex.raw('CREATE INDEX group_members_contact ON group_members (contact_id)');

  await knex.schema.createTable('deal_registrations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('organization_id').notNullable().references('id').inTable('organizations').onDelete('RESTRICT');
    t.uuid('owner_contact_id').notNullable().references('id').inTable('contacts').onDelete('RESTRICT');
    t.uuid('distributor_organization_id').references('id').inTable('organizations').onDelete('RESTRICT');
    t.uuid('distributor_contact_id').references('id').inTable('contacts').onDelete('RESTRICT');
    t.string('name', 255).notNullable();
    t.string('stage', 100).notNullable();
    t.decimal('amount', 18, 2);
    t.date('close_date');
    t.string('sf_opportunity_id', 18).unique('deal_registrations_sf_opportunity_unique');
    bookkeeping(knex, t, { changeSeq: true });
  });
  await knex.raw('CREATE INDEX deal_registrations_organization ON deal_registrations (organization_id)');

  for (const table of ENTITY_TABLES) {
    await knex.raw(`CREATE UNIQUE INDEX ${table}_change_seq ON ${table} (change_seq)`);
    await knex.raw(`CREATE INDEX ${table}_created ON ${table} (created_at, id)`);
  }
  await knex.raw('CREATE INDEX groups_created ON groups (created_at, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('deal_registrations');
  await knex.schema.dropTableIfExists('group_members');
  await knex.schema.dropTableIfExists('groups');
  await knex.schema.dropTableIfExists('contacts');
  await knex.schema.dropTableIfExists('organizations');
  await knex.raw('DROP SEQUENCE IF EXISTS prm_change_seq');
}
