// A database the test and its child process both use: a PGlite data folder (one process at a time, so the
// parent lets go while the child runs and opens it again afterwards — PGlite recovers from a SIGKILL like
// PostgreSQL does), or, with DATABASE_URL, a schema in that PostgreSQL both keep open.
import type { Knex } from 'knex';
import type { DatabaseConfig } from '../../../middleware/config.ts';
import { openDatabase, type DbHandle } from '../../../middleware/db/knex.ts';
import { migrateToLatest } from '../../../middleware/db/migrate.ts';
import { createScratchSchema, scratchPgliteDir } from '../../helpers/scratch-databases.ts';

export interface SharedDatabase {
  config: DatabaseConfig;
  /** The parent's connection (opened on demand). */
  db(): Promise<Knex>;
  /** Lets go of the database so that a child process can open it (PGlite only; a no-op on PostgreSQL). */
  release(): Promise<void>;
  dispose(): Promise<void>;
}

export async function openSharedDatabase(): Promise<SharedDatabase> {
  const url = process.env.DATABASE_URL;
  let config: DatabaseConfig;
  let cleanup: () => Promise<void>;
  if (url) {
    const scratch = await createScratchSchema(url, 'crash');
    config = { kind: 'postgres', url, schema: scratch.schema };
    cleanup = scratch.drop;
  } else {
    // A copy of the migrated template: milliseconds, where initdb and the migrations take seconds.
    const scratch = await scratchPgliteDir('prm-sync-crash');
    config = { kind: 'pglite', dataDir: scratch.dataDir };
    cleanup = scratch.drop;
  }
  let handle: DbHandle | null = openDatabase(config);
  await migrateToLatest(handle.db);
  return {
    config,
    async db() {
      handle ??= openDatabase(config);
      return handle.db;
    },
    async release() {
      if (config.kind !== 'pglite' || !handle) return;
      await handle.close();
      handle = null;
    },
    async dispose() {
      await handle?.close();
      handle = null;
      await cleanup();
    },
  };
}
