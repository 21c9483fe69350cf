import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { databaseLabel } from '../helpers/db.ts';
import { errorFields, openApiContext } from './prm-fixtures.ts';

const ctx = await openApiContext();
after(() => ctx.close());
const { api } = ctx;

let counter = 0;
async function user(kind: 'partner' | 'distributor', promote = true): Promise<string> {
  const organization = await api('POST', '/api/v1/organizations', { kind, name: `Group Test Org ${++counter}` });
  const contact = await api('POST', '/api/v1/contacts', { organization_id: organization.json().id, last_name: `User ${counter}`, email: `user${counter}@groups.example` });
  if (promote) assert.equal((await api('POST', `/api/v1/contacts/${contact.json().id}/promote`)).statusCode, 200);
  return contact.json().id;
}

async function group(body: Record<string, unknown>) {
  const response = await api('POST', '/api/v1/groups', body);
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

describe(`groups API on ${databaseLabel()}`, () => {
  test('create, read, update and delete a group with modules', async () => {
    const created = await group({ name: 'Gold Resellers', kind: 'partner', modules: ['training', 'deal_registration'] });
    assert.deepEqual(created.modules, ['deal_registration', 'training'], 'modules are kept sorted');
    assert.equal((await api('GET', `/api/v1/groups/${created.id}`)).json().name, 'Gold Resellers');
    const updated = await api('PATCH', `/api/v1/groups/${created.id}`, { version: 1, modules: ['deal_registration'] });
    assert.equal(updated.statusCode, 200);
    assert.deepEqual(updated.json().modules, ['deal_registration']);
    assert.equal(updated.json().version, 2);
    const stale = await api('PATCH', `/api/v1/groups/${created.id}`, { version: 1, name: 'Old' });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.code, 'STALE_VERSION');
    assert.equal((await api('DELETE', `/api/v1/groups/${created.id}?version=2`)).statusCode, 204);
    assert.equal((await api('GET', `/api/v1/groups/${created.id}`)).statusCode, 404);
  });

  test('create refuses bad input naming the field; names are unique ignoring case', async () => {
    const before = await ctx.count('groups');
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ kind: 'partner' }, ['name']],
      [{ name: 'X', kind: 'customer' }, ['kind']],
      [{ name: 'X', kind: 'partner', modules: ['deal_registration', 'crm'] }, ['modules.1']],
      [{ name: 'X', kind: 'partner', modules: 'deal_registration' }, ['modules']],
      [{ name: 'X', kind: 'partner', modules: ['training', 'training'] }, ['modules']],
      [{ name: 'X'.repeat(256), kind: 'partner' }, ['name']],
      [{ name: 'X', kind: 'partner', owner: 'me' }, ['owner']],
    ];
    for (const [body, fields] of cases) {
      const response = await api('POST', '/api/v1/groups', body);
      assert.equal(response.statusCode, 400, JSON.stringify(body));
      assert.deepEqual(errorFields(response), fields, JSON.stringify(body));
    }
    await group({ name: 'Unique Name', kind: 'partner' });
    const duplicate = await api('POST', '/api/v1/groups', { name: 'UNIQUE name', kind: 'distributor' });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(duplicate.json().error.code, 'DUPLICATE_GROUP_NAME');
    assert.deepEqual(errorFields(duplicate), ['name']);
    assert.equal(await ctx.count('groups'), before + 1);
  });

  test('members: users of the group kind only, idempotent add, listed, removed', async () => {
    const partners = await group({ name: 'Partner Deal Desk', kind: 'partner', modules: ['deal_registration'] });
    const partnerUser = await user('partner');
    const added = await api('PUT', `/api/v1/groups/${partners.id}/members/${partnerUser}`);
    assert.equal(added.statusCode, 201);
    assert.deepEqual(added.json(), { group_id: partners.id, contact_id: partnerUser, added: true });
    const again = await api('PUT', `/api/v1/groups/${partners.id}/members/${partnerUser}`);
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().added, false);

    const plainContact = await user('partner', false);
    const notUser = await api('PUT', `/api/v1/groups/${partners.id}/members/${plainContact}`);
    assert.equal(notUser.statusCode, 409);
    assert.equal(notUser.json().error.code, 'NOT_A_USER');
    assert.deepEqual(errorFields(notUser), ['contact_id']);

    const distributorUser = await user('distributor');
    const wrongKind = await api('PUT', `/api/v1/groups/${partners.id}/members/${distributorUser}`);
    assert.equal(wrongKind.statusCode, 409);
    assert.equal(wrongKind.json().error.code, 'GROUP_KIND_MISMATCH');

    const unknown = await api('PUT', `/api/v1/groups/${partners.id}/members/00000000-0000-4000-8000-000000000000`);
    assert.equal(unknown.statusCode, 404);
    const unknownGroup = await api('PUT', `/api/v1/groups/00000000-0000-4000-8000-000000000000/members/${partnerUser}`);
    assert.equal(unknownGroup.statusCode, 404);
    const malformed = await api('PUT', `/api/v1/groups/${partners.id}/members/xyz`);
    assert.equal(malformed.statusCode, 400);
    assert.deepEqual(errorFields(malformed), ['contact_id']);

    const members = await api('GET', `/api/v1/groups/${partners.id}/members`);
    assert.deepEqual(members.json().data.map((c: { id: string }) => c.id), [partnerUser]);

    const kindChange = await api('PATCH', `/api/v1/groups/${partners.id}`, { kind: 'distributor' });
    assert.equal(kindChange.statusCode, 409);
    assert.equal(kindChange.json().error.code, 'GROUP_HAS_MEMBERS');

    assert.equal((await api('DELETE', `/api/v1/groups/${partners.id}/members/${partnerUser}`)).statusCode, 204);
    const removedAgain = await api('DELETE', `/api/v1/groups/${partners.id}/members/${partnerUser}`);
    assert.equal(removedAgain.statusCode, 404);
    assert.match(removedAgain.json().error.message, /is not a member/);
    assert.deepEqual((await api('GET', `/api/v1/groups/${partners.id}/members`)).json().data, []);
  });

  test('list filters by kind and module; the repository reports users with their modules', async () => {
    const dealDesk = await group({ name: 'Distributor Deal Desk', kind: 'distributor', modules: ['deal_registration', 'lead_distribution'] });
    const trainees = await group({ name: 'Distributor Trainees', kind: 'distributor', modules: ['training'] });
    const listed = await api('GET', '/api/v1/groups?kind=distributor&module=deal_registration');
    assert.ok(listed.json().data.some((g: { id: string }) => g.id === dealDesk.id));
    assert.ok(!listed.json().data.some((g: { id: string }) => g.id === trainees.id));
    const badModule = await api('GET', '/api/v1/groups?module=crm');
    assert.equal(badModule.statusCode, 400);
    assert.deepEqual(errorFields(badModule), ['module']);

    const member = await user('distributor');
    await api('PUT', `/api/v1/groups/${dealDesk.id}/members/${member}`);
    await api('PUT', `/api/v1/groups/${trainees.id}/members/${member}`);
    const email = (await api('GET', `/api/v1/contacts/${member}`)).json().email as string;
    const [found] = await ctx.app.prm.contacts.findUsersByEmail(email.toUpperCase());
    assert.ok(found);
    assert.equal(found.contact.id, member);
    assert.equal(found.organizationKind, 'distributor');
    assert.deepEqual(found.modules, ['deal_registration', 'lead_distribution', 'training']);
    await api('DELETE', `/api/v1/groups/${trainees.id}`);
    const [afterDelete] = await ctx.app.prm.contacts.findUsersByEmail(email);
    assert.deepEqual(afterDelete?.modules, ['deal_registration', 'lead_distribution'], 'a deleted group grants nothing');
  });
});
