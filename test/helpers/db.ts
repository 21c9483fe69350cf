// A migrated database for one test file: a PGlite copy of a migrated template by default, or an isolated
// schema in the PostgreSQL named by DATABASE_URL (dropped again on close), so test files can run in parallel.
import { openDatabase, type DbHandle } from '../../middleware/db/knex.ts';
import { migrateToLatest } from '../../middleware/db/migrate.ts';
import type { DatabaseConfig } from '../../middleware/config.ts';
import { createScratchSchema, scratchPgliteDir } from './scratch-databases.ts';

export interface TestDatabase extends DbHandle {
  config: DatabaseConfig;
}

export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  let config: DatabaseConfig;
  let drop: (() => Promise<void>) | null = null;
  if (url) {
    const scratch = await createScratchSchema(url, 't');
    config = { kind: 'postgres', url, schema: scratch.schema };
    drop = scratch.drop;
  } else if (options.migrate !== false) {
    const scratch = await scratchPgliteDir('prm-sync-test-db');
    config = { kind: 'pglite', dataDir: scratch.dataDir };
    drop = scratch.drop;
  } else {
    config = { kind: 'pglite', dataDir: null };
  }
  const handle = openDatabase(config);
  if (options.migrate !== false) await migrateToLatest(handle.db);
  return {
    ...handle,
    config,
    close: async () => {
      await handle.close();
      if (drop) await drop();
    },
  };
}

export const databaseLabel = () => (process.env.DATABASE_URL ? 'postgres' : 'pglite');
