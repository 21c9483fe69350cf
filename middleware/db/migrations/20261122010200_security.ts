// Credentials at rest: admin users (the admin console issue builds login on top), REST API bearer tokens
// (only SHA-256 hashes are stored) and secrets encrypted with AES-256-GCM under PRM_SYNC_SECRET_KEY.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('admin_users', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('email', 254).notNullable().unique('admin_users_email_unique'); // stored trimmed and lower-cased
    t.text('password_hash').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
  });

  await knex.schema.createTable('api_tokens', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('name', 100).notNullable();
    t.string('token_hash', 64).notNullable().unique('api_tokens_hash_unique'); // hex SHA-256 of the token
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
  });

  await knex.schema.createTable('encrypted_secrets', (t) => {
    t.string('name', 100).primary();
    t.text('ciphertext').notNullable(); // base64
    t.string('iv', 24).notNullable(); // base64 of the 12-byte nonce
    t.string('tag', 32).notNullable(); // base64 of the 16-byte GCM tag
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('encrypted_secrets');
  await knex.schema.dropTableIfExists('api_tokens');
  await knex.schema.dropTableIfExists('admin_users');
}
