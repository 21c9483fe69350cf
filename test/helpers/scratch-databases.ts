// Throwaway databases for tests, crash scenarios and the benchmark: an isolated schema in a shared
// PostgreSQL (dropped again afterwards), or a PGlite data folder copied from a migrated template.
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import { ensureTrigramExtension } from '../../middleware/db/extensions.ts';
import { openDatabase } from '../../middleware/db/knex.ts';
import { migrateToLatest } from '../../middleware/db/migrate.ts';

export interface ScratchSchema {
  schema: string;
  drop(): Promise<void>;
}

/** One short-lived connection to the PostgreSQL at `url`, closed after `work`. */
export async function withAdminConnection<T>(url: string, work: (admin: Knex) => Promise<T>): Promise<T> {
  const admin = knexFactory({ client: 'pg', connection: { connectionString: url, connectionTimeoutMillis: 3000 }, pool: { min: 0, max: 1 } });
  try {
    return await work(admin);
  } finally {
    await admin.destroy();
  }
}

/** A fresh schema named `<prefix>_<random>`; pg_trgm goes to public, so dropping the schema leaves it for the others. */
export async function createScratchSchema(url: string, prefix: string): Promise<ScratchSchema> {
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  await withAdminConnection(url, async (admin) => {
    await ensureTrigramExtension(admin);
    await admin.raw(`CREATE SCHEMA ${schema}`);
  });
  return { schema, drop: () => withAdminConnection(url, (admin) => admin.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => undefined) };
}

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../middleware/db/migrations');

/** A migrated PGlite data folder for the current set of migrations, built once and shared. */
export async function pgliteTemplate(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsDir).sort()) hash.update(file).update(readFileSync(path.join(migrationsDir, file)));
  const template = path.join(tmpdir(), `prm-sync-pglite-template-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(path.join(template, 'PG_VERSION'))) return template;
  // initdb inside PGlite costs seconds; copying a migrated template data folder costs milliseconds.
  const building = mkdtempSync(path.join(tmpdir(), 'prm-sync-pglite-building-'));
  const handle = openDatabase({ kind: 'pglite', dataDir: building });
  await migrateToLatest(handle.db);
  await handle.close();
  try {
    renameSync(building, template); // atomic: a parallel process that built it first wins
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}

/** A new PGlite data folder holding a copy of the migrated template. */
export async function scratchPgliteDir(prefix: string): Promise<{ dataDir: string; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  cpSync(await pgliteTemplate(), dataDir, { recursive: true });
  return { dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
}
