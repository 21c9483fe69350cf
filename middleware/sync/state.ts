// Read and write the integration's progress facts (integration_state).
import type { Knex } from 'knex';

export const STATE_KEYS = { wizardCompletedAt: 'wizard_completed_at' } as const;

export const integrationState = {
  async get<T>(db: Knex | Knex.Transaction, key: string): Promise<T | undefined> {
    const row = await db('integration_state').where({ key }).first();
    // Both drivers decode jsonb already; a string here is a stored JSON string, not JSON text.
    return row ? (row.value as T) : undefined;
  },

  async set(db: Knex | Knex.Transaction, key: string, value: unknown): Promise<void> {
    await db('integration_state')
      .insert({ key, value: JSON.stringify(value), updated_at: db.fn.now() })
      .onConflict('key')
      .merge();
  },

  async remove(db: Knex | Knex.Transaction, key: string): Promise<void> {
    await db('integration_state').where({ key }).delete();
  },

  async wizardCompleted(db: Knex | Knex.Transaction): Promise<boolean> {
    return (await this.get<string>(db, STATE_KEYS.wizardCompletedAt)) !== undefined;
  },
};
