// A replica as its own process (the PostgreSQL pass of replicas.test.ts): opens the shared schema, runs one
// middleware instance's jobs (replica.ts) and reports every scheduler event on stdout as a JSON line. A
// "stop" line on stdin shuts it down gracefully; the test may SIGKILL it instead, mid-run.
import { createInterface } from 'node:readline';
import { openDatabase } from '../../../middleware/db/knex.ts';
import { REPLICA_SETTINGS_VARIABLE, startReplica, type ReplicaSettings } from './replica.ts';

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

async function main(): Promise<void> {
  const raw = process.env[REPLICA_SETTINGS_VARIABLE];
  if (!raw) throw new Error(`${REPLICA_SETTINGS_VARIABLE} is not set`);
  const settings = JSON.parse(raw) as ReplicaSettings;
  if (settings.database.kind !== 'postgres') throw new Error('replica processes share a PostgreSQL database');
  const handle = openDatabase(settings.database);
  const replica = startReplica(handle.db, 'postgres', settings, emit);
  emit({ event: 'ready', replica: settings.name, pid: process.pid });
  const input = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => {
    input.on('line', (line) => line.trim() === 'stop' && resolve());
    input.on('close', resolve);
  });
  await replica.stop();
  await handle.close();
  emit({ event: 'stopped', replica: settings.name });
}

main().catch((error: unknown) => {
  emit({ event: 'error', message: (error as Error).stack ?? String(error) });
  process.exitCode = 1;
});
