// `npm run sync -- [--full] [--object accounts|contacts] [--dry-run]`: one sync run from the shell, with
// a progress line on a terminal and a summary (records read, written each way, conflicts, errors, calls).
import { parseArgs } from 'node:util';
import { loadConfig } from '../middleware/config.ts';
import { openDatabase } from '../middleware/db/knex.ts';
import { migrateToLatest } from '../middleware/db/migrate.ts';
import { describeCounts } from '../middleware/sync/cycle.ts';
import { createSyncService } from '../middleware/sync/service.ts';
import type { SyncObject } from '../middleware/sync/plan.ts';

const OBJECTS: Record<string, SyncObject> = { accounts: 'organization', organizations: 'organization', contacts: 'contact' };

function usage(message: string): never {
  console.error(`${message}\nUsage: npm run sync -- [--full] [--object accounts|contacts] [--dry-run]`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({ options: { full: { type: 'boolean' }, object: { type: 'string' }, 'dry-run': { type: 'boolean' } }, strict: true }).values;
} catch (error) {
  usage((error as Error).message);
}
const object = args.object === undefined ? undefined : OBJECTS[args.object];
if (args.object !== undefined && !object) usage(`--object must be accounts or contacts; got "${args.object}".`);

const config = loadConfig();
const database = openDatabase(config.database);
try {
  await migrateToLatest(database.db);
  const service = createSyncService({ db: database.db, config });
  const tty = process.stdout.isTTY;
  const summary = await service.runCycle({
    mode: args.full ? 'full' : 'incremental',
    dryRun: args['dry-run'] ?? false,
    objects: object ? [object] : undefined,
    interactive: true,
    onProgress: (phase, done) => {
      if (tty) process.stdout.write(`\r\x1b[K${phase}: ${done}`);
    },
  });
  if (tty) process.stdout.write('\r\x1b[K');
  console.log(`Sync ${summary.status}${summary.runId ? ` (run ${summary.runId})` : ''}: ${describeCounts(summary.counts, summary.apiCalls)}.`);
  if (Object.keys(summary.apiCallsByEndpoint).length > 0) console.log('API calls by endpoint:', summary.apiCallsByEndpoint);
  if (summary.planned.length > 0) {
    console.log(`Dry run: ${summary.planned.length} changes would be made:`);
    for (const change of summary.planned.slice(0, 50)) {
      console.log(`  ${change.action} ${change.object} prm=${change.prmId ?? '-'} sf=${change.sfId ?? '-'}`, { toSalesforce: change.toSalesforce, toPrm: change.toPrm });
    }
    if (summary.planned.length > 50) console.log(`  … and ${summary.planned.length - 50} more`);
  }
  if (summary.error) console.error(`${summary.status === 'skipped' ? 'Why' : 'Error'}: ${summary.error}`);
  process.exitCode = summary.status === 'failed' ? 1 : 0;
} finally {
  await database.close();
}
