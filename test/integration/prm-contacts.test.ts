import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { databaseLabel } from '../helpers/db.ts';
import { errorFields, openApiContext } from './prm-fixtures.ts';

const ctx = await openApiContext();
after(() => ctx.close());
const { api } = ctx;

let counter = 0;
async function organization(kind = 'partner'): Promise<string> {
  const response = await api('POST', '/api/v1/organizations', { kind, name: `Contact Test Org ${++counter}` });
  assert.equal(response.statusCode, 201);
  return response.json().id;
}

async function contact(body: Record<string, unknown>) {
  const response = await api('POST', '/api/v1/contacts', body);
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

describe(`contacts API on ${databaseLabel()}`, () => {
  test('create normalizes the email (trim, lower case) and starts as a plain contact', async () => {
    const organizationId = await organization();
    const created = await contact({ organization_id: organizationId, first_name: 'Jane', last_name: 'Doe', email: '  Jane.Doe@Example.COM ', title: 'CTO' });
    assert.equal(created.email, 'jane.doe@example.com');
    assert.equal(created.is_user, false);
    assert.equal(created.user_active, false);
    assert.equal(created.version, 1);
    const read = await api('GET', `/api/v1/contacts/${created.id}`);
    assert.deepEqual(read.json(), created);
  });

  test('emails are unique per organization ignoring case: 409 names the email; other organizations may reuse it', async () => {
    const organizationId = await organization();
    const first = await contact({ organization_id: organizationId, last_name: 'One', email: 'dup@example.com' });
    const before = await ctx.count('contacts');
    const duplicate = await api('POST', '/api/v1/contacts', { organization_id: organizationId, last_name: 'Two', email: 'DUP@Example.com' });
    assert.equal(duplicate.statusCode, 409);
    const error = duplicate.json().error;
    assert.equal(error.code, 'DUPLICATE_EMAIL');
    assert.match(error.message, /dup@example\.com/);
    assert.deepEqual(errorFields(duplicate), ['email']);
    assert.equal(error.details[0].existing_contact_id, first.id);
    assert.equal(await ctx.count('contacts'), before, 'nothing written');

    const elsewhere = await api('POST', '/api/v1/contacts', { organization_id: await organization(), last_name: 'Three', email: 'dup@example.com' });
    assert.equal(elsewhere.statusCode, 201, 'another organization may have the same email');

    const other = await contact({ organization_id: organizationId, last_name: 'Four', email: 'four@example.com' });
    const clash = await api('PATCH', `/api/v1/contacts/${other.id}`, { email: 'Dup@example.com' });
    assert.equal(clash.statusCode, 409);
    assert.equal(clash.json().error.code, 'DUPLICATE_EMAIL');
    assert.equal((await api('GET', `/api/v1/contacts/${other.id}`)).json().email, 'four@example.com');

    await api('DELETE', `/api/v1/contacts/${first.id}`);
    const reuse = await api('PATCH', `/api/v1/contacts/${other.id}`, { email: 'dup@example.com' });
    assert.equal(reuse.statusCode, 200, 'a deleted contact frees its email');
  });

  test('create refuses bad input naming the field, and unknown organizations', async () => {
    const organizationId = await organization();
    const before = await ctx.count('contacts');
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ organization_id: organizationId }, ['last_name']],
      [{ last_name: 'X' }, ['organization_id']],
      [{ organization_id: 'nope', last_name: 'X' }, ['organization_id']],
      [{ organization_id: organizationId, last_name: 'X', email: 'not-an-email' }, ['email']],
      [{ organization_id: organizationId, last_name: 'X', email: `${'a'.repeat(250)}@b.co` }, ['email']],
      [{ organization_id: organizationId, last_name: 'X', is_user: true }, ['is_user']],
      [{ organization_id: organizationId, last_name: 'X', title: 't'.repeat(129) }, ['title']],
      [{ organization_id: organizationId, last_name: false }, ['last_name']],
    ];
    for (const [body, fields] of cases) {
      const response = await api('POST', '/api/v1/contacts', body);
      assert.equal(response.statusCode, 400, JSON.stringify(body));
      assert.deepEqual(errorFields(response), fields, JSON.stringify(body));
    }
    const unknown = await api('POST', '/api/v1/contacts', { organization_id: '00000000-0000-4000-8000-000000000000', last_name: 'X' });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error.code, 'INVALID_REFERENCE');
    assert.deepEqual(errorFields(unknown), ['organization_id']);
    assert.equal(await ctx.count('contacts'), before);
  });

  test('promote makes the same record an active user; activate and deactivate toggle it; versions are checked', async () => {
    const created = await contact({ organization_id: await organization(), last_name: 'User', email: 'user@example.com' });
    const notUser = await api('POST', `/api/v1/contacts/${created.id}/activate`);
    assert.equal(notUser.statusCode, 409);
    assert.equal(notUser.json().error.code, 'NOT_A_USER');

    const promoted = await api('POST', `/api/v1/contacts/${created.id}/promote`, { version: 1 });
    assert.equal(promoted.statusCode, 200, promoted.body);
    assert.equal(promoted.json().id, created.id);
    assert.equal(promoted.json().is_user, true);
    assert.equal(promoted.json().user_active, true);
    assert.equal(promoted.json().version, 2);
    assert.ok(promoted.json().change_seq > created.change_seq);

    const again = await api('POST', `/api/v1/contacts/${created.id}/promote`);
    assert.equal(again.statusCode, 200, 'promoting a user again is a no-op');
    assert.equal(again.json().version, 2);

    const stale = await api('POST', `/api/v1/contacts/${created.id}/deactivate`, { version: 1 });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.code, 'STALE_VERSION');
    const deactivated = await api('POST', `/api/v1/contacts/${created.id}/deactivate`, { version: 2 });
    assert.equal(deactivated.json().user_active, false);
    assert.equal(deactivated.json().is_user, true);
    const activated = await api('POST', `/api/v1/contacts/${created.id}/activate`);
    assert.equal(activated.json().user_active, true);

    const extra = await api('POST', `/api/v1/contacts/${created.id}/activate`, { version: 4, force: true });
    assert.equal(extra.statusCode, 400);
    assert.deepEqual(errorFields(extra), ['force']);

    const removeEmail = await api('PATCH', `/api/v1/contacts/${created.id}`, { email: null });
    assert.equal(removeEmail.statusCode, 409);
    assert.equal(removeEmail.json().error.code, 'USER_NEEDS_EMAIL');
  });

  test('promote refuses a contact without email, and unknown contacts', async () => {
    const created = await contact({ organization_id: await organization(), last_name: 'NoMail' });
    const response = await api('POST', `/api/v1/contacts/${created.id}/promote`);
    assert.equal(response.statusCode, 409);
    assert.equal(response.json().error.code, 'CONTACT_HAS_NO_EMAIL');
    assert.deepEqual(errorFields(response), ['email']);
    assert.equal((await api('GET', `/api/v1/contacts/${created.id}`)).json().is_user, false);
    const unknown = await api('POST', '/api/v1/contacts/00000000-0000-4000-8000-000000000000/promote');
    assert.equal(unknown.statusCode, 404);
  });

  test('update moves a contact to another organization and refuses a deleted one', async () => {
    const from = await organization();
    const to = await organization();
    const created = await contact({ organization_id: from, last_name: 'Mover', email: 'mover@example.com' });
    const moved = await api('PATCH', `/api/v1/contacts/${created.id}`, { organization_id: to });
    assert.equal(moved.json().organization_id, to);
    const gone = await organization();
    await api('DELETE', `/api/v1/organizations/${gone}`);
    const refused = await api('PATCH', `/api/v1/contacts/${created.id}`, { organization_id: gone });
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().error.code, 'INVALID_REFERENCE');
    assert.equal((await api('GET', `/api/v1/contacts/${created.id}`)).json().organization_id, to);
  });

  test('list filters by organization, email (any case) and is_user, and pages', async () => {
    const organizationId = await organization();
    const a = await contact({ organization_id: organizationId, last_name: 'A', email: 'a@list.example' });
    await contact({ organization_id: organizationId, last_name: 'B', email: 'b@list.example' });
    await contact({ organization_id: organizationId, last_name: 'C' });
    await api('POST', `/api/v1/contacts/${a.id}/promote`);
    const all = await api('GET', `/api/v1/contacts?organization_id=${organizationId}`);
    assert.deepEqual(all.json().data.map((c: { last_name: string }) => c.last_name), ['A', 'B', 'C']);
    const byEmail = await api('GET', `/api/v1/contacts?email=${encodeURIComponent('B@LIST.example')}`);
    assert.deepEqual(byEmail.json().data.map((c: { last_name: string }) => c.last_name), ['B']);
    const users = await api('GET', `/api/v1/contacts?organization_id=${organizationId}&is_user=true`);
    assert.deepEqual(users.json().data.map((c: { last_name: string }) => c.last_name), ['A']);
    const firstPage = await api('GET', `/api/v1/contacts?organization_id=${organizationId}&limit=2`);
    assert.equal(firstPage.json().data.length, 2);
    const secondPage = await api('GET', `/api/v1/contacts?organization_id=${organizationId}&limit=2&cursor=${encodeURIComponent(firstPage.json().next_cursor)}`);
    assert.deepEqual(secondPage.json().data.map((c: { last_name: string }) => c.last_name), ['C']);
    assert.equal(secondPage.json().next_cursor, null);
    const bad = await api('GET', '/api/v1/contacts?is_user=maybe');
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorFields(bad), ['is_user']);
  });

  test('delete is soft, checks the version and removes group memberships', async () => {
    const organizationId = await organization();
    const created = await contact({ organization_id: organizationId, last_name: 'Leaving', email: 'leaving@example.com' });
    await api('POST', `/api/v1/contacts/${created.id}/promote`);
    const group = await api('POST', '/api/v1/groups', { name: `Leavers ${counter}`, kind: 'partner', modules: ['deal_registration'] });
    assert.equal((await api('PUT', `/api/v1/groups/${group.json().id}/members/${created.id}`)).statusCode, 201);
    const stale = await api('DELETE', `/api/v1/contacts/${created.id}?version=1`);
    assert.equal(stale.statusCode, 409);
    const deleted = await api('DELETE', `/api/v1/contacts/${created.id}?version=2`);
    assert.equal(deleted.statusCode, 204);
    assert.equal((await api('GET', `/api/v1/contacts/${created.id}`)).statusCode, 404);
    const members = await api('GET', `/api/v1/groups/${group.json().id}/members`);
    assert.deepEqual(members.json().data, []);
    const row = await ctx.database.db('contacts').where({ id: created.id }).first();
    assert.ok(row.deleted_at);
  });
});
