// The deal import's database side on a real database: the batched PRM lookups (links, users by email
// with their groups' modules) and the idempotent page save (create, unchanged, update, revive).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDatabase, databaseLabel, type TestDatabase } from '../helpers/db.ts';
import { loadDirectory } from '../../middleware/deals/directory.ts';
import { saveDeals, dealsByOpportunityIds, type DealWrite } from '../../middleware/deals/store.ts';
import { advanceDealCursor, readDealCursor, readDealStart } from '../../middleware/deals/cursor.ts';
import { ensureDealLinks, pendingWriteBacks, recordWriteBacks } from '../../middleware/deals/links.ts';
import type { OpportunityFacts } from '../../middleware/deals/eligibility.ts';
import { PrmSeeder } from './deals-fixtures.ts';

let database: TestDatabase;
let seed: PrmSeeder;
before(async () => {
  database = await openTestDatabase();
  seed = new PrmSeeder(database.db);
});
after(() => database.close());

const facts = (over: Partial<OpportunityFacts>): OpportunityFacts => ({
  id: '006X',
  name: 'x',
  accountId: null,
  accountName: null,
  primaryContactId: null,
  syncFlag: true,
  exportFlag: true,
  partnerEmail: null,
  distributorEmail: null,
  ownerType: null,
  fields: {},
  ...over,
});

test(`directory: links, users by email and group modules in a few queries (${databaseLabel()})`, async () => {
  const partner = await seed.organization();
  const gone = await seed.organization({ deleted: true });
  const distributor = await seed.organization({ kind: 'distributor' });
  const [customerContact] = await seed.contacts(partner, 1);
  await seed.links('organization', [
    { prmId: partner, sfId: '001A' },
    { prmId: gone, sfId: '001GONE' },
    { prmId: distributor, sfId: '001EXCL', state: 'excluded' },
  ]);
  await seed.links('contact', [{ prmId: customerContact as string, sfId: '003C' }]);
  const [jane] = await seed.users(partner, 'partner', [{ email: 'jane@dir.example', modules: ['training', 'deal_registration'] }]);
  await seed.users(distributor, 'distributor', [{ email: 'jane@dir.example', active: false, modules: ['lead_distribution'] }]);
  const [ghost] = await seed.users(gone, 'partner', [{ email: 'ghost@dir.example' }]);
  // A deleted group's modules do not count.
  const [lonely] = await seed.users(partner, 'partner', [{ email: 'lonely@dir.example', modules: null }]);
  await database.db('group_members').insert({ group_id: await seed.group('partner', ['deal_registration'], { deleted: true }), contact_id: lonely });
  // A contact that is not a user is not found by email.
  await database.db('contacts').insert({ organization_id: partner, last_name: 'Not a user', email: 'plain@dir.example' });

  const directory = await loadDirectory(database.db, [
    facts({ id: '1', accountId: '001A', primaryContactId: '003C', partnerEmail: ' JANE@Dir.Example', distributorEmail: 'ghost@dir.example' }),
    facts({ id: '2', accountId: '001GONE', primaryContactId: '003Z', partnerEmail: 'lonely@dir.example', distributorEmail: 'plain@dir.example' }),
    facts({ id: '3', accountId: '001EXCL' }),
  ]);
  assert.deepEqual([...directory.organizationByAccountId], [['001A', partner]], 'only live, linked organizations');
  assert.deepEqual([...directory.contactByContactId], [['003C', customerContact]]);
  const janes = directory.usersByEmail.get('jane@dir.example') ?? [];
  assert.deepEqual(
    janes.map((u) => [u.contactId === jane ? 'jane' : 'other', u.organizationKind, u.active, [...u.modules]]).sort(),
    [
      ['jane', 'partner', true, ['deal_registration', 'training']],
      ['other', 'distributor', false, ['lead_distribution']],
    ],
  );
  assert.equal(directory.usersByEmail.has('ghost@dir.example'), false, `users of deleted organizations are gone (${ghost})`);
  assert.deepEqual(directory.usersByEmail.get('lonely@dir.example')?.[0]?.modules, []);
  assert.equal(directory.usersByEmail.has('plain@dir.example'), false);
});

test('save: create, then unchanged (no new version or change_seq), then update, then revive', async () => {
  const organization = await seed.organization();
  const [owner] = await seed.users(organization, 'partner', [{ email: 'owner@save.example' }]);
  const values = {
    organization_id: organization,
    owner_contact_id: owner as string,
    distributor_organization_id: null,
    distributor_contact_id: null,
    name: 'Big deal',
    stage: 'Prospecting',
    amount: '100.00',
    close_date: '2026-05-01',
    custom: { region: 'EMEA', empty: null },
  };
  const writes: DealWrite[] = [
    { opportunityId: '006SAVE1', values },
    { opportunityId: '006SAVE2', values: { ...values, name: 'Second' } },
  ];
  const first = await database.db.transaction((trx) => saveDeals(trx, writes));
  assert.deepEqual(first.map((r) => r.outcome), ['created', 'created']);
  const created = (await dealsByOpportunityIds(database.db, ['006SAVE1'])).get('006SAVE1');
  assert.ok(created);
  assert.deepEqual(created.custom, { region: 'EMEA' });
  assert.equal(created.close_date, '2026-05-01');
  const before = await database.db('deal_registrations').where({ id: created.id }).first();

  const again = await database.db.transaction((trx) => saveDeals(trx, writes));
  assert.deepEqual(again.map((r) => r.outcome), ['unchanged', 'unchanged']);
  assert.deepEqual(again.map((r) => r.dealId), first.map((r) => r.dealId), 'same deals, by sf_opportunity_id');
  const same = await database.db('deal_registrations').where({ id: created.id }).first();
  assert.equal(same.version, before.version);
  assert.equal(String(same.change_seq), String(before.change_seq));

  await database.db('deal_registrations').where({ id: created.id }).update({ custom: JSON.stringify({ region: 'EMEA', note: 'PRM only' }) });
  const changed = await database.db.transaction((trx) => saveDeals(trx, [{ opportunityId: '006SAVE1', values: { ...values, amount: '250.00' } }]));
  assert.deepEqual(changed.map((r) => r.outcome), ['updated']);
  const updated = await database.db('deal_registrations').where({ id: created.id }).first();
  assert.equal(updated.amount, '250.00');
  assert.equal(updated.version, before.version + 1);
  assert.ok(Number(updated.change_seq) > Number(before.change_seq));
  const custom = typeof updated.custom === 'string' ? JSON.parse(updated.custom) : updated.custom;
  assert.deepEqual(custom, { region: 'EMEA', note: 'PRM only' }, 'custom keys the import does not map stay');

  await database.db('deal_registrations').where({ id: created.id }).update({ deleted_at: database.db.fn.now() });
  const revived = await database.db.transaction((trx) => saveDeals(trx, [{ opportunityId: '006SAVE1', values: { ...values, amount: '250.00' } }]));
  assert.deepEqual(revived.map((r) => r.outcome), ['updated']);
  const live = await database.db('deal_registrations').where({ id: created.id }).first();
  assert.equal(live.deleted_at, null);
  assert.equal(await database.db('deal_registrations').where({ sf_opportunity_id: '006SAVE1' }).count({ n: '*' }).first().then((r) => Number(r?.n)), 1);
});

test('cursor: one row with object deal, advancing forward only', async () => {
  assert.equal(await readDealCursor(database.db), null);
  await advanceDealCursor(database.db, new Date('2026-01-01T00:00:10.000Z'));
  await advanceDealCursor(database.db, new Date('2026-01-01T00:00:05.000Z'));
  assert.equal((await readDealCursor(database.db))?.toISOString(), '2026-01-01T00:00:10.000Z');
  assert.equal((await readDealStart(database.db, 60_000))?.toISOString(), '2025-12-31T23:59:10.000Z', 'read from the cursor minus the overlap');
  const rows = await database.db('sync_cursors').where({ object: 'deal' });
  assert.equal(rows.length, 1);
});

test('links: one per imported deal, a failed write-back is pending until it succeeds', async () => {
  const organization = await seed.organization();
  const [owner] = await seed.users(organization, 'partner', [{ email: 'links@save.example' }]);
  const values = { organization_id: organization, owner_contact_id: owner as string, distributor_organization_id: null, distributor_contact_id: null, name: 'Linked', stage: 'New', custom: {} };
  const saved = await database.db.transaction(async (trx) => {
    const results = await saveDeals(trx, [{ opportunityId: '006LINK1', values }, { opportunityId: '006LINK2', values }]);
    await ensureDealLinks(trx, results);
    await ensureDealLinks(trx, results);
    return results;
  });
  const links = await database.db('sync_links').where({ object: 'deal' }).whereIn('sf_id', ['006LINK1', '006LINK2']);
  assert.equal(links.length, 2, 'ensureDealLinks is idempotent');
  const [first, second] = saved;
  await recordWriteBacks(database.db, [{ dealId: first?.dealId as string, error: null }, { dealId: second?.dealId as string, error: 'UNABLE_TO_LOCK_ROW: busy' }], new Date());
  assert.deepEqual(await pendingWriteBacks(database.db, 10), [{ dealId: second?.dealId, opportunityId: '006LINK2' }]);
  await recordWriteBacks(database.db, [{ dealId: second?.dealId as string, error: null }], new Date());
  assert.deepEqual(await pendingWriteBacks(database.db, 10), []);
});
