// Databases for measured runs, created by the orchestrator and opened by the prm-sync worker process:
// PGlite in a fresh data folder (copied from a migrated template, since initdb + migrations cost seconds),
// or PostgreSQL in an isolated schema that is dropped afterwards.
import type { DatabaseConfig } from '../../middleware/config.ts';
import { createScratchSchema, scratchPgliteDir, withAdminConnection } from '../../test/helpers/scratch-databases.ts';
import type { DatabaseKind } from './options.ts';

export interface BenchDatabase {
  kind: DatabaseKind;
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/** Databases not dropped yet, so an interrupted run can still clean up after itself. */
const live = new Set<BenchDatabase>();

export async function dropAllBenchDatabases(): Promise<void> {
  for (const database of [...live]) await database.drop().catch(() => undefined);
}

export async function createBenchDatabase(kind: DatabaseKind, postgresUrl: string): Promise<BenchDatabase> {
  const database = await create(kind, postgresUrl);
  const tracked: BenchDatabase = {
    ...database,
    drop: async () => {
      live.delete(tracked);
      await database.drop();
    },
  };
  live.add(tracked);
  return tracked;
}

async function create(kind: DatabaseKind, postgresUrl: string): Promise<BenchDatabase> {
  if (kind === 'postgres') {
    const scratch = await createScratchSchema(postgresUrl, 'bench');
    return { kind, config: { kind: 'postgres', url: postgresUrl, schema: scratch.schema }, drop: scratch.drop };
  }
  const scratch = await scratchPgliteDir('prm-sync-bench-db');
  return { kind, config: { kind: 'pglite', dataDir: scratch.dataDir }, drop: scratch.drop };
}

/** The server's version string, or the reason it cannot be reached. */
export async function postgresVersion(url: string): Promise<{ version: string } | { error: string }> {
  try {
    const rows = await withAdminConnection(url, (admin) => admin.raw('SHOW server_version'));
    return { version: String((rows as { rows: Array<{ server_version: string }> }).rows[0]?.server_version ?? 'unknown') };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
