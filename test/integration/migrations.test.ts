import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { migrateToLatest, migrateAllDown, appliedMigrations } from '../../middleware/db/migrate.ts';
import { openTestDatabase, databaseLabel } from '../helpers/db.ts';

const database = await openTestDatabase({ migrate: false });
after(() => database.close());

test(`every migration runs up, down and up again on ${databaseLabel()}`, async () => {
  await migrateToLatest(database.db);
  const applied = await appliedMigrations(database.db);
  assert.ok(applied.length >= 1, 'at least one migration applied');
  const tablesUp = await userTables(database.db);

  await migrateAllDown(database.db);
  assert.deepEqual(await appliedMigrations(database.db), []);
  const leftovers = (await userTables(database.db)).filter((t) => !t.startsWith('knex_migrations'));
  assert.deepEqual(leftovers, [], 'down removes every table the migrations created');

  await migrateToLatest(database.db);
  assert.deepEqual(await appliedMigrations(database.db), applied);
  assert.deepEqual(await userTables(database.db), tablesUp);
});

async function userTables(db: typeof database.db): Promise<string[]> {
  const result = await db.raw<{ rows: Array<{ table_name: string }> }>(
    `select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
  );
  return result.rows.map((row) => row.table_name);
}
