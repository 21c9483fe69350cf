import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { databaseLabel } from '../helpers/db.ts';
import { API_TOKEN, errorFields, openApiContext } from './prm-fixtures.ts';

const ctx = await openApiContext();
after(() => ctx.close());
const { api } = ctx;

const acme = { kind: 'partner', name: 'Acme Networks Inc.', website: 'https://acme.example', phone: '+1 555 0100', billing_street: '1 Main St', billing_city: 'Austin', billing_state: 'TX', billing_postal_code: '78701', billing_country: 'United States', custom: { tier: 'gold', seats: 12, certified: true } };

async function createOrganization(body: Record<string, unknown> = acme) {
  const response = await api('POST', '/api/v1/organizations', body);
  assert.equal(response.statusCode, 201, response.body);
  return response.json() as Record<string, unknown> & { id: string; version: number; change_seq: number };
}

describe(`organizations API on ${databaseLabel()}`, () => {
  test('create returns the organization with defaults, a Location header and a change_seq; read returns the same', async () => {
    const response = await api('POST', '/api/v1/organizations', { ...acme, name: '  Acme Trimmed  ', website: '' });
    assert.equal(response.statusCode, 201);
    const created = response.json();
    assert.equal(response.headers.location, `/api/v1/organizations/${created.id}`);
    assert.equal(created.name, 'Acme Trimmed', 'names are stored trimmed');
    assert.equal(created.website, null, 'blank optional text is stored as null');
    assert.equal(created.status, 'active');
    assert.equal(created.version, 1);
    assert.deepEqual(created.custom, acme.custom);
    assert.ok(Number.isInteger(created.change_seq) && created.change_seq > 0);
    assert.equal(created.deleted_at, null);
    const read = await api('GET', `/api/v1/organizations/${created.id}`);
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.json(), created);
  });

  test('create refuses missing, extra, mistyped, over-long and out-of-range fields, naming each, and writes nothing', async () => {
    const before = await ctx.count('organizations');
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ name: 'No kind' }, ['kind']],
      [{ kind: 'partner' }, ['name']],
      [{ kind: 'partner', name: 'X', color: 'blue' }, ['color']],
      [{ kind: 'partner', name: 123 }, ['name']],
      [{ kind: 'reseller', name: 'X' }, ['kind']],
      [{ kind: 'partner', name: 'X', status: 'dormant' }, ['status']],
      [{ kind: 'partner', name: 'x'.repeat(256) }, ['name']],
      [{ kind: 'partner', name: 'X', phone: '1'.repeat(41) }, ['phone']],
      [{ kind: 'partner', name: 'X', billing_postal_code: '1'.repeat(21) }, ['billing_postal_code']],
      [{ kind: 'partner', name: '   ' }, ['name']],
      [{ kind: 'partner', name: 'X', custom: { 'not a key': 1 } }, ['custom.not a key']],
      [{ kind: 'partner', name: 'X', custom: { nested: { a: 1 } } }, ['custom.nested']],
    ];
    for (const [body, fields] of cases) {
      const response = await api('POST', '/api/v1/organizations', body);
      assert.equal(response.statusCode, 400, JSON.stringify(body));
      const error = response.json().error;
      assert.equal(error.code, 'VALIDATION_FAILED');
      assert.deepEqual(errorFields(response), fields, JSON.stringify(body));
      for (const field of fields) assert.ok(error.message.includes(field), `${error.message} names ${field}`);
    }
    const overLong = await api('POST', '/api/v1/organizations', { kind: 'partner', name: 'x'.repeat(256) });
    assert.match(overLong.json().error.message, /name: must be at most 255 characters long/);
    assert.equal(await ctx.count('organizations'), before, 'nothing written');
  });

  test('a body that is not JSON is refused with 400', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/organizations', headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, payload: '{"kind":' });
    assert.equal(response.statusCode, 400);
    assert.ok(response.json().error.message);
  });

  test('unknown and malformed ids: 404 naming the id, 400 naming the parameter', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const [method, body] of [['GET'], ['PATCH', { name: 'Y' }], ['DELETE']] as const) {
      const response = await api(method, `/api/v1/organizations/${missing}`, body);
      assert.equal(response.statusCode, 404, method);
      assert.equal(response.json().error.code, 'NOT_FOUND');
      assert.match(response.json().error.message, new RegExp(`Organization ${missing} does not exist`));
    }
    const malformed = await api('GET', '/api/v1/organizations/not-a-uuid');
    assert.equal(malformed.statusCode, 400);
    assert.deepEqual(errorFields(malformed), ['id']);
    assert.match(malformed.json().error.message, /id: must be a UUID/);
    const unknownQuery = await api('GET', `/api/v1/organizations/${missing}?expand=contacts`);
    assert.equal(unknownQuery.statusCode, 400, 'unknown query parameters are refused, not ignored');
    assert.deepEqual(errorFields(unknownQuery), ['expand']);
  });

  test('update changes only what is sent, merges custom fields, bumps version and change_seq', async () => {
    const created = await createOrganization();
    const response = await api('PATCH', `/api/v1/organizations/${created.id}`, { version: 1, phone: null, status: 'inactive', custom: { seats: 20, certified: null, region: 'emea' } });
    assert.equal(response.statusCode, 200, response.body);
    const updated = response.json();
    assert.equal(updated.phone, null);
    assert.equal(updated.status, 'inactive');
    assert.equal(updated.name, acme.name);
    assert.deepEqual(updated.custom, { tier: 'gold', seats: 20, region: 'emea' });
    assert.equal(updated.version, 2);
    assert.ok(updated.change_seq > created.change_seq);
  });

  test('an update that changes nothing keeps version and change_seq', async () => {
    const created = await createOrganization();
    const response = await api('PATCH', `/api/v1/organizations/${created.id}`, { name: acme.name, custom: { tier: 'gold' } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().version, 1);
    assert.equal(response.json().change_seq, created.change_seq);
  });

  test('update refuses an empty body, unknown fields and a stale version (409 naming the current version)', async () => {
    const created = await createOrganization();
    const empty = await api('PATCH', `/api/v1/organizations/${created.id}`, {});
    assert.equal(empty.statusCode, 400);
    assert.match(empty.json().error.message, /at least one property/);
    const extra = await api('PATCH', `/api/v1/organizations/${created.id}`, { id: created.id });
    assert.equal(extra.statusCode, 400);
    assert.deepEqual(errorFields(extra), ['id']);
    await api('PATCH', `/api/v1/organizations/${created.id}`, { name: 'Renamed' });
    const stale = await api('PATCH', `/api/v1/organizations/${created.id}`, { version: 1, name: 'Lost update' });
    assert.equal(stale.statusCode, 409);
    const error = stale.json().error;
    assert.equal(error.code, 'STALE_VERSION');
    assert.match(error.message, /version 2, not 1/);
    assert.equal(error.details[0].field, 'version');
    assert.equal(error.details[0].current_version, 2);
    assert.equal((await api('GET', `/api/v1/organizations/${created.id}`)).json().name, 'Renamed', 'the stale write changed nothing');
  });

  test('delete is soft, hides the organization, cascades to its contacts, and honours version', async () => {
    const created = await createOrganization();
    const contact = await api('POST', '/api/v1/contacts', { organization_id: created.id, last_name: 'Doe', email: 'doe@acme.example' });
    assert.equal(contact.statusCode, 201);
    const stale = await api('DELETE', `/api/v1/organizations/${created.id}?version=7`);
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.code, 'STALE_VERSION');
    assert.equal((await api('GET', `/api/v1/contacts/${contact.json().id}`)).statusCode, 200, 'stale delete left the contact alone');

    const deleted = await api('DELETE', `/api/v1/organizations/${created.id}?version=1`);
    assert.equal(deleted.statusCode, 204);
    assert.equal(deleted.body, '');
    assert.equal((await api('GET', `/api/v1/organizations/${created.id}`)).statusCode, 404);
    assert.equal((await api('GET', `/api/v1/contacts/${contact.json().id}`)).statusCode, 404, 'contacts go with their organization');
    const row = await ctx.database.db('organizations').where({ id: created.id }).first();
    assert.ok(row.deleted_at, 'the row is kept with deleted_at');
    const again = await api('DELETE', `/api/v1/organizations/${created.id}`);
    assert.equal(again.statusCode, 404);
    const withDeleted = await api('GET', `/api/v1/organizations?include_deleted=true&updated_since=${created.change_seq}`);
    assert.ok(withDeleted.json().data.some((o: { id: string; deleted_at: string | null }) => o.id === created.id && o.deleted_at !== null));
  });

  test('list filters by kind, status and name, and pages with an opaque cursor', async () => {
    const names = ['Filter Alpha GmbH', 'Filter Beta Ltd', 'Filter Gamma 50% SA', 'Filter Delta Inc.', 'Filter Epsilon BV'];
    for (const [index, name] of names.entries()) {
      await createOrganization({ kind: index % 2 === 0 ? 'distributor' : 'partner', status: index === 4 ? 'prospective' : 'active', name });
    }
    const distributors = await api('GET', '/api/v1/organizations?kind=distributor&q=filter');
    assert.deepEqual(distributors.json().data.map((o: { name: string }) => o.name), ['Filter Alpha GmbH', 'Filter Gamma 50% SA', 'Filter Epsilon BV']);
    const prospective = await api('GET', '/api/v1/organizations?status=prospective&q=FILTER');
    assert.deepEqual(prospective.json().data.map((o: { name: string }) => o.name), ['Filter Epsilon BV']);
    const percent = await api('GET', `/api/v1/organizations?q=${encodeURIComponent('50%')}`);
    assert.deepEqual(percent.json().data.map((o: { name: string }) => o.name), ['Filter Gamma 50% SA'], 'LIKE wildcards in q are literal');

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await api('GET', `/api/v1/organizations?q=filter&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(page.statusCode, 200);
      const body = page.json();
      assert.ok(body.data.length <= 2);
      seen.push(...body.data.map((o: { name: string }) => o.name));
      cursor = body.next_cursor;
      pages += 1;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, names, 'every row once, in creation order');
  });

  test('updated_since lists changes in change_seq order', async () => {
    const first = await createOrganization({ kind: 'partner', name: 'Since One' });
    const second = await createOrganization({ kind: 'partner', name: 'Since Two' });
    await api('PATCH', `/api/v1/organizations/${first.id}`, { name: 'Since One (renamed)' });
    const changes = await api('GET', `/api/v1/organizations?updated_since=${first.change_seq - 1}`);
    const names = changes.json().data.map((o: { name: string }) => o.name);
    assert.deepEqual(names, ['Since Two', 'Since One (renamed)']);
    const seqs = changes.json().data.map((o: { change_seq: number }) => o.change_seq);
    assert.ok(seqs[0] > second.change_seq - 1 && seqs[1] > seqs[0]);
  });

  test('list refuses bad query parameters, naming them', async () => {
    const cases: Array<[string, string]> = [
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=ten', 'limit'],
      ['kind=reseller', 'kind'],
      ['updated_since=-1', 'updated_since'],
      ['colour=red', 'colour'],
      ['cursor=garbage', 'cursor'],
    ];
    for (const [query, field] of cases) {
      const response = await api('GET', `/api/v1/organizations?${query}`);
      assert.equal(response.statusCode, 400, query);
      assert.deepEqual(errorFields(response), [field], query);
    }
    const otherListCursor = (await api('GET', '/api/v1/organizations?limit=1&updated_since=0')).json().next_cursor;
    const mixed = await api('GET', `/api/v1/organizations?limit=1&cursor=${encodeURIComponent(otherListCursor)}`);
    assert.equal(mixed.statusCode, 400, 'a change_seq cursor is not accepted by the created_at order');
    assert.equal(mixed.json().error.code, 'INVALID_CURSOR');
  });
});
