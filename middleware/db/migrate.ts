// Runs the timestamped knex migrations in ./migrations. The source is listed here rather than by knex's
// directory loader so the TypeScript files load through the same module system as the rest of the app.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Db } from './knex.ts';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return readdirSync(migrationsDir)
      .filter((file) => /^\d{14}_[a-z0-9_]+\.ts$/.test(file))
      .sort();
  },
  getMigrationName(file) {
    return file.replace(/\.ts$/, '');
  },
  async getMigration(file) {
    return (await import(pathToFileURL(path.join(migrationsDir, file)).href)) as MigrationModule;
  },
};

const config: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' };

export async function migrateToLatest(db: Db): Promise<void> {
  await db.migrate.latest(config);
}

/** Rolls back every migration (used by the up/down/up test and `npm run migrate -- --down`). */
export async function migrateAllDown(db: Db): Promise<void> {
  await db.migrate.rollback(config, true);
}

export async function appliedMigrations(db: Db): Promise<string[]> {
  const [completed] = (await db.migrate.list(config)) as [Array<{ name: string } | string>, unknown];
  return completed.map((entry) => (typeof entry === 'string' ? entry : entry.name));
}
