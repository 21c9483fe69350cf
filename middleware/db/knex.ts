// knex over PostgreSQL (DATABASE_URL) or embedded PGlite (the default), with pg_trgm available on both.
import { mkdirSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { DatabaseConfig } from '../config.ts';

export type Db = Knex;

export interface DbHandle {
  db: Db;
  kind: DatabaseConfig['kind'];
  close(): Promise<void>;
}

export function openDatabase(config: DatabaseConfig): DbHandle {
  if (config.kind === 'postgres') {
    const db = knexFactory({
      client: 'pg',
      connection: config.url,
      searchPath: config.schema ? [config.schema, 'public'] : undefined,
      pool: { min: 0, max: 10 },
    });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (config.dataDir !== null) mkdirSync(config.dataDir, { recursive: true });
  const pglite = new PGlite({ dataDir: config.dataDir ?? undefined, extensions: { pg_trgm } });
  const db = knexFactory({
    // knex-pglite's class is a knex Client; its typings predate knex 3's.
    client: ClientPgLite as unknown as typeof knexFactory.Client,
    dialect: 'postgres',
    connection: () => ({ pglite }) as object,
  });
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
