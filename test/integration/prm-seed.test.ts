import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { databaseLabel, openTestDatabase } from '../helpers/db.ts';
import { generatePrmData } from '../../scripts/seed/prm-generator.ts';
import { clearPrmData, countPrmRows, insertPrmSeed } from '../../scripts/seed/insert.ts';
import { createPrmRepositories } from '../../middleware/prm/repositories/index.ts';

const database = await openTestDatabase();
after(() => database.close());

describe(`seeding the PRM on ${databaseLabel()}`, () => {
  test('inserts generated data with a change_seq per row, usable through the repositories', async () => {
    const data = generatePrmData({ size: 300, seed: 'seed-test' });
    const counts = await insertPrmSeed(database.db, data);
    assert.equal(counts.organizations, 300);
    assert.equal(await countPrmRows(database.db), data.organizations.length + data.contacts.length + data.groups.length + data.memberships.length);
    const prm = createPrmRepositories(database.db);
    const changed = await prm.organizations.listChangedSince(0, 1000);
    assert.equal(changed.length, 300);
    assert.equal(new Set(changed.map((o) => Number(o.change_seq))).size, 300);
    const user = data.contacts.find((c) => c.is_user && data.memberships.some((m) => m.contact_id === c.id)) ?? assert.fail('a user in a group');
    const [found] = await prm.contacts.findUsersByEmail(user.email as string);
    assert.equal(found?.contact.id, user.id);
    assert.ok(found.modules.length > 0);
    const search = await prm.organizations.list({ q: (data.organizations[0]?.name ?? '').slice(0, 8) });
    assert.ok(search.items.some((o) => o.id === data.organizations[0]?.id));
  });

  test('a failing seed writes nothing; clearing empties the PRM tables', async () => {
    const before = await countPrmRows(database.db);
    const clash = generatePrmData({ size: 5, seed: 'seed-test' }); // the same ids as above
    await assert.rejects(insertPrmSeed(database.db, clash));
    assert.equal(await countPrmRows(database.db), before);
    await clearPrmData(database.db);
    assert.equal(await countPrmRows(database.db), 0);
  });
});
