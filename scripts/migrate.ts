// `npm run migrate [-- --down]`: applies (or rolls back) the database migrations for the configured database.
import { loadConfig } from '../middleware/config.ts';
import { openDatabase } from '../middleware/db/knex.ts';
import { migrateAllDown, migrateToLatest, appliedMigrations } from '../middleware/db/migrate.ts';

const config = loadConfig();
const database = openDatabase(config.database);
try {
  if (process.argv.includes('--down')) await migrateAllDown(database.db);
  else await migrateToLatest(database.db);
  console.log(`Applied migrations (${database.kind}):`, (await appliedMigrations(database.db)).join(', ') || 'none');
} finally {
  await database.close();
}
