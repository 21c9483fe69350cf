// `npm run seed -- --size 1000 [--seed S] [--reset]`: fills the configured database (DATABASE_URL, or the
// embedded PGlite) with realistic PRM organizations, contacts/users and groups. The same seed always
// gives the same data. Refuses to write into a PRM that already has data unless --reset is given.
import { parseArgs } from 'node:util';
import { loadConfig } from '../middleware/config.ts';
import { openDatabase } from '../middleware/db/knex.ts';
import { migrateToLatest } from '../middleware/db/migrate.ts';
import { clearPrmData, countPrmRows, insertPrmSeed } from './seed/insert.ts';
import { generatePrmData } from './seed/prm-generator.ts';

const USAGE = 'Usage: npm run seed -- --size <organizations> [--seed <text>] [--reset]';

function parseOptions(): { size: number; seed: string; reset: boolean } {
  const { values } = parseArgs({
    options: { size: { type: 'string', default: '1000' }, seed: { type: 'string', default: 'prm-sync' }, reset: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const size = Number(values.size);
  if (!/^\d+$/.test(values.size) || size < 1 || size > 1_000_000) {
    console.error(`--size must be a whole number from 1 to 1000000; got "${values.size}".\n${USAGE}`);
    process.exit(2);
  }
  return { size, seed: values.seed, reset: values.reset };
}

const options = parseOptions();
const config = loadConfig();
const database = openDatabase(config.database);
try {
  await migrateToLatest(database.db);
  const existing = await countPrmRows(database.db);
  if (existing > 0 && !options.reset) {
    console.error(`The PRM already holds ${existing} rows; pass --reset to delete all PRM organizations, contacts, groups and deals first.`);
    process.exitCode = 1;
  } else {
    if (existing > 0) await clearPrmData(database.db);
    const started = Date.now();
    const counts = await insertPrmSeed(database.db, generatePrmData({ size: options.size, seed: options.seed }));
    console.log(
      `Seeded ${database.kind} with ${counts.organizations} organizations, ${counts.contacts} contacts (${counts.users} users), ` +
        `${counts.groups} groups and ${counts.memberships} memberships from seed "${options.seed}" in ${Date.now() - started} ms.`,
    );
  }
} finally {
  await database.close();
}
