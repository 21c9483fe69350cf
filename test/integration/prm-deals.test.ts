import { test, after, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { databaseLabel } from '../helpers/db.ts';
import { errorFields, openApiContext } from './prm-fixtures.ts';

const ctx = await openApiContext();
after(() => ctx.close());
const { api } = ctx;
const deals = ctx.app.prm.deals;

let partnerId = '';
let ownerId = '';
let distributorId = '';
let distributorUserId = '';
let plainContactId = '';

before(async () => {
  const partner = await ctx.app.prm.organizations.create({ kind: 'partner', name: 'Deal Partner Ltd' });
  const distributor = await ctx.app.prm.organizations.create({ kind: 'distributor', name: 'Deal Distribution GmbH' });
  partnerId = partner.id;
  distributorId = distributor.id;
  ownerId = (await ctx.app.prm.contacts.create({ organization_id: partner.id, last_name: 'Owner', email: 'owner@deal.example', is_user: true, user_active: true })).id;
  distributorUserId = (await ctx.app.prm.contacts.create({ organization_id: distributor.id, last_name: 'Dist', email: 'dist@deal.example', is_user: true, user_active: true })).id;
  plainContactId = (await ctx.app.prm.contacts.create({ organization_id: partner.id, last_name: 'Plain', email: 'plain@deal.example' })).id;
});

describe(`deal registrations on ${databaseLabel()}`, () => {
  test('the importer upserts by opportunity id: created once, updated after, read through the API', async () => {
    const first = await deals.upsertByOpportunityId('006000000000001AAA', {
      organization_id: partnerId,
      owner_contact_id: ownerId,
      distributor_organization_id: distributorId,
      distributor_contact_id: distributorUserId,
      name: 'Firewall refresh',
      stage: 'Prospecting',
      amount: 12500.5,
      close_date: '2027-03-31',
    });
    assert.equal(first.created, true);
    const second = await deals.upsertByOpportunityId('006000000000001AAA', { organization_id: partnerId, owner_contact_id: ownerId, name: 'Firewall refresh', stage: 'Closed Won', amount: '12500.50', close_date: '2027-03-31' });
    assert.equal(second.created, false);
    assert.equal(second.deal.id, first.deal.id);
    assert.equal(second.deal.version, 2);
    assert.ok(Number(second.deal.change_seq) > Number(first.deal.change_seq));

    const read = await api('GET', `/api/v1/deals/${first.deal.id}`);
    assert.equal(read.statusCode, 200);
    const body = read.json();
    assert.equal(body.stage, 'Closed Won');
    assert.equal(body.amount, 12500.5);
    assert.equal(body.close_date, '2027-03-31', 'dates come back as written, whatever the server time zone');
    assert.equal(body.sf_opportunity_id, '006000000000001AAA');
    assert.equal(body.distributor_organization_id, distributorId);

    const unchanged = await deals.upsertByOpportunityId('006000000000001AAA', { organization_id: partnerId, owner_contact_id: ownerId, name: 'Firewall refresh', stage: 'Closed Won', amount: 12500.5, close_date: '2027-03-31' });
    assert.equal(unchanged.deal.version, 2, 'the same values again change nothing');
  });

  test('a failed import writes nothing (owner must be a user, distributor must be a distributor)', async () => {
    const before = await ctx.count('deal_registrations');
    await assert.rejects(
      deals.upsertByOpportunityId('006000000000002AAA', { organization_id: partnerId, owner_contact_id: plainContactId, name: 'X', stage: 'Prospecting' }),
      (error: Error & { code?: string }) => error.code === 'NOT_A_USER' && /owner_contact_id/.test(error.message),
    );
    await assert.rejects(
      deals.create({ organization_id: partnerId, owner_contact_id: ownerId, distributor_organization_id: partnerId, name: 'X', stage: 'Prospecting' }),
      (error: Error & { code?: string }) => error.code === 'NOT_A_DISTRIBUTOR',
    );
    assert.equal(await ctx.count('deal_registrations'), before);
  });

  test('the API registers, changes and withdraws deals, refusing bad input by field', async () => {
    const created = await api('POST', '/api/v1/deals', { organization_id: partnerId, owner_contact_id: ownerId, name: 'Portal deal', stage: 'Qualification', amount: 999.99, close_date: '2027-01-15' });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id;
    assert.equal(created.json().sf_opportunity_id, null);

    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ organization_id: partnerId, owner_contact_id: ownerId, name: 'X' }, ['stage']],
      [{ organization_id: partnerId, owner_contact_id: ownerId, name: 'X', stage: 'S', amount: 'lots' }, ['amount']],
      [{ organization_id: partnerId, owner_contact_id: ownerId, name: 'X', stage: 'S', close_date: '2027-02-30' }, ['close_date']],
      [{ organization_id: partnerId, owner_contact_id: ownerId, name: 'X', stage: 'S', sf_opportunity_id: '006' }, ['sf_opportunity_id']],
      [{ organization_id: partnerId, owner_contact_id: 'me', name: 'X', stage: 'S' }, ['owner_contact_id']],
    ];
    for (const [body, fields] of cases) {
      const response = await api('POST', '/api/v1/deals', body);
      assert.equal(response.statusCode, 400, JSON.stringify(body));
      assert.deepEqual(errorFields(response), fields, JSON.stringify(body));
    }
    const unknownOwner = await api('POST', '/api/v1/deals', { organization_id: partnerId, owner_contact_id: '00000000-0000-4000-8000-000000000000', name: 'X', stage: 'S' });
    assert.equal(unknownOwner.statusCode, 400);
    assert.deepEqual(errorFields(unknownOwner), ['owner_contact_id']);

    const updated = await api('PATCH', `/api/v1/deals/${id}`, { version: 1, stage: 'Negotiation/Review', amount: null });
    assert.equal(updated.statusCode, 200);
    assert.equal(updated.json().amount, null);
    const stale = await api('PATCH', `/api/v1/deals/${id}`, { version: 1, stage: 'Closed Lost' });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.code, 'STALE_VERSION');
    assert.equal((await api('DELETE', `/api/v1/deals/${id}?version=2`)).statusCode, 204);
    assert.equal((await api('GET', `/api/v1/deals/${id}`)).statusCode, 404);
  });

  test('list filters by organization and stage', async () => {
    await deals.create({ organization_id: partnerId, owner_contact_id: ownerId, name: 'Stage filter A', stage: 'Perception Analysis' });
    await deals.create({ organization_id: partnerId, owner_contact_id: ownerId, name: 'Stage filter B', stage: 'Perception Analysis' });
    const listed = await api('GET', `/api/v1/deals?organization_id=${partnerId}&stage=${encodeURIComponent('Perception Analysis')}`);
    assert.deepEqual(listed.json().data.map((d: { name: string }) => d.name), ['Stage filter A', 'Stage filter B']);
    const none = await api('GET', `/api/v1/deals?organization_id=${distributorId}`);
    assert.deepEqual(none.json().data, []);
    const unknown = await api('GET', '/api/v1/deals/00000000-0000-4000-8000-000000000000');
    assert.equal(unknown.statusCode, 404);
  });
});
