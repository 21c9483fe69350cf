// Process entry: config → database (migrated) → app → listen, with graceful shutdown on SIGTERM/SIGINT.
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { openDatabase } from './db/knex.ts';
import { migrateToLatest } from './db/migrate.ts';
import { buildApp } from './app.ts';
import { SecretKeyMismatchError, verifyStoredSecrets } from './security/secrets.ts';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    // A lost or rotated PRM_SYNC_SECRET_KEY stops start-up with instructions, not the first sync later.
    await verifyStoredSecrets(database.db, config.secretKey);
  } catch (error) {
    await database.close();
    throw error;
  }
  const app = await buildApp({ config, database });
  app.addHook('onClose', async () => database.close());
  const url = await app.listen({ host: config.host, port: config.port });
  // Jobs are planned once the server is up; app.close() stops them (preClose) before the database closes.
  await app.scheduler.start();
  return { app, url, close: () => app.close() };
}

/** Closes the server once on the first SIGTERM/SIGINT; a second signal exits at once. */
export function closeOnSignals(close: () => Promise<void>): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    console.log(`Received ${signal}; shutting down…`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  try {
    const server = await startServer(config);
    closeOnSignals(server.close);
  } catch (error) {
    if (error instanceof SecretKeyMismatchError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
