// The REST API through the real jsforce and raw HTTP: versions, describe, CRUD, upsert by external id,
// replication resources, limits, and the status codes and bodies Salesforce gives bad requests.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type RunningEmulator } from './index.ts';
import { call, connect, data } from './test-support.ts';

describe('REST API', () => {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ size: 20, seed: 'rest' });
  });
  after(() => emulator.close());

  test('versions and resources', async () => {
    const versions = await call(emulator, 'GET', '/services/data', { token: null });
    assert.equal(versions.status, 200);
    const list = versions.json as Array<{ version: string; label: string; url: string }>;
    assert.deepEqual(list.find((v) => v.version === '62.0'), { label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
    const resources = await call(emulator, 'GET', data(''));
    assert.equal((resources.json as Record<string, string>).sobjects, '/services/data/v62.0/sobjects');
    assert.equal((await call(emulator, 'GET', '/services/data/v57.0/limits')).status, 200, 'any API version is served');
  });

  test('describe through jsforce: global and per object', async () => {
    const conn = connect(emulator);
    const global = await conn.describeGlobal();
    assert.ok(global.sobjects.some((s) => s.name === 'OpportunityContactRole' && s.keyPrefix === '00K'));
    const account = await conn.sobject('Account').describe();
    assert.equal(account.keyPrefix, '001');
    const prmId = account.fields.find((f) => f.name === 'PRM_Id__c');
    assert.deepEqual([prmId?.type, prmId?.externalId, prmId?.unique, prmId?.length], ['string', true, true, 36]);
    assert.ok(account.childRelationships.some((c) => c.relationshipName === 'Contacts'));
    assert.ok((account.recordTypeInfos as Array<{ developerName?: string }>).some((r) => r.developerName === 'Partner_Account'));
    assert.equal(account.urls.sobject, '/services/data/v62.0/sobjects/Account');
  });

  test('create, retrieve, update and delete through jsforce', async () => {
    const conn = connect(emulator);
    const created = await conn.sobject('Account').create({ Name: 'Rest Co', BillingCity: 'Oslo', PRM_Sync__c: true });
    assert.equal(created.success, true);
    assert.match(created.id, /^001[A-Za-z0-9]{15}$/);
    const record = await conn.sobject('Account').retrieve(created.id);
    assert.deepEqual([record.Name, record.BillingCity, record.PRM_Sync__c], ['Rest Co', 'Oslo', true]);
    await conn.sobject('Account').update({ Id: created.id, Name: 'Rest Co 2' });
    const fields = await call(emulator, 'GET', data(`/sobjects/Account/${created.id}?fields=Name,BillingCity`));
    assert.deepEqual(fields.json, { attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${created.id}` }, Name: 'Rest Co 2', BillingCity: 'Oslo' });
    await conn.sobject('Account').destroy(created.id);
    const gone = await call(emulator, 'GET', data(`/sobjects/Account/${created.id}`));
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.json, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    const patchDeleted = await call(emulator, 'PATCH', data(`/sobjects/Account/${created.id}`), { body: { Name: 'x' } });
    assert.deepEqual([patchDeleted.status, (patchDeleted.json as Array<{ errorCode: string }>)[0]?.errorCode], [404, 'ENTITY_IS_DELETED']);
  });

  test('upsert by external id: 201 created, 200 updated, 300 for several matches', async () => {
    const conn = connect(emulator);
    const first = await conn.sobject('Account').upsert({ PRM_Id__c: 'prm-0001', Name: 'Upserted' }, 'PRM_Id__c');
    assert.equal((first as { created?: boolean }).created, true);
    const created = await call(emulator, 'PATCH', data('/sobjects/Account/PRM_Id__c/prm-0002'), { body: { Name: 'Second' } });
    assert.equal(created.status, 201);
    assert.equal((created.json as { created: boolean }).created, true);
    const updated = await call(emulator, 'PATCH', data('/sobjects/Account/PRM_Id__c/PRM-0002'), { body: { Name: 'Second again' } });
    assert.deepEqual([updated.status, (updated.json as { created: boolean; id: string }).created], [200, false]);
    assert.equal((updated.json as { id: string }).id, (created.json as { id: string }).id);
    const old = await call(emulator, 'PATCH', '/services/data/v45.0/sobjects/Account/PRM_Id__c/prm-0002', { body: { Name: 'Old API' } });
    assert.equal(old.status, 204, 'before API 46.0 an update answers 204');
    await call(emulator, 'POST', data('/sobjects/Contact'), { body: { LastName: 'A', Email: 'shared@example.com' } });
    await call(emulator, 'POST', data('/sobjects/Contact'), { body: { LastName: 'B', Email: 'shared@example.com' } });
    const several = await call(emulator, 'PATCH', data('/sobjects/Contact/Email/shared@example.com'), { body: { LastName: 'C' } });
    assert.equal(several.status, 300);
    assert.equal((several.json as string[]).length, 2);
    assert.match((several.json as string[])[0] ?? '', /^\/services\/data\/v62\.0\/sobjects\/Contact\/003/);
    const byId = await call(emulator, 'GET', data('/sobjects/Account/PRM_Id__c/prm-0001'));
    assert.equal((byId.json as { Name: string }).Name, 'Upserted');
    const notExternal = await call(emulator, 'PATCH', data('/sobjects/Account/Name/x'), { body: { Phone: '1' } });
    assert.equal(notExternal.status, 400);
  });

  test('bad requests answer with Salesforce statuses and bodies', async () => {
    const unknownObject = await call(emulator, 'GET', data('/sobjects/Nope__c/describe'));
    assert.deepEqual([unknownObject.status, unknownObject.json], [404, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]]);
    const unknownField = await call(emulator, 'POST', data('/sobjects/Account'), { body: { Name: 'x', Nope__c: 1 } });
    assert.deepEqual([unknownField.status, unknownField.json], [400, [{ message: "No such column 'Nope__c' on sobject of type Account", errorCode: 'INVALID_FIELD' }]]);
    const badJson = await call(emulator, 'POST', data('/sobjects/Account'), { rawBody: '{"Name": ' });
    assert.equal(badJson.status, 400);
    assert.equal((badJson.json as Array<{ errorCode: string }>)[0]?.errorCode, 'JSON_PARSER_ERROR');
    const wrongType = await call(emulator, 'POST', data('/sobjects/Account'), { body: { Name: 'x', NumberOfEmployees: 'lots' } });
    assert.equal((wrongType.json as Array<{ errorCode: string }>)[0]?.errorCode, 'JSON_PARSER_ERROR');
    const mediaType = await call(emulator, 'POST', data('/sobjects/Account'), { rawBody: 'Name=x', contentType: 'text/plain' });
    assert.equal(mediaType.status, 415);
    const required = await call(emulator, 'POST', data('/sobjects/Contact'), { body: { FirstName: 'No last name' } });
    assert.deepEqual([required.status, required.json], [400, [{ message: 'Required fields are missing: [LastName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] }]]);
    const method = await call(emulator, 'PUT', data('/sobjects/Account/001000000000000AAA'), { body: {} });
    assert.equal(method.status, 405);
    const malformed = await call(emulator, 'GET', data(`/sobjects/Account/${emulator.integrationUser.id}`));
    assert.equal((malformed.json as Array<{ errorCode: string }>)[0]?.errorCode, 'MALFORMED_ID');
    const noSession = await call(emulator, 'GET', data('/sobjects'), { token: 'bogus' });
    assert.deepEqual([noSession.status, noSession.json], [401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]]);
    const unknownPath = await call(emulator, 'GET', data('/nothing/here'));
    assert.equal(unknownPath.status, 404);
  });

  test('doubled slashes in paths are tolerated (the sf CLI sends them)', async () => {
    const response = await call(emulator, 'GET', `/services/data/v62.0//sobjects/User/${emulator.integrationUser.id}`);
    assert.equal(response.status, 200);
    assert.equal((response.json as { Username: string }).Username, 'integration@prm-sync.test');
    const leading = await call(emulator, 'GET', `//services/data/v62.0/query?q=${encodeURIComponent('SELECT Name FROM Organization')}`);
    assert.equal((leading.json as { records: Array<{ Name: string }> }).records[0]?.Name, 'PRM Sync Emulated Org');
  });

  test('updated and deleted replication resources', async () => {
    const start = new Date(emulator.org.now - 60_000).toISOString();
    const created = await call(emulator, 'POST', data('/sobjects/Account'), { body: { Name: 'Replicated' } });
    const id = (created.json as { id: string }).id;
    const end = new Date(emulator.org.now + 60_000).toISOString();
    const updated = await call(emulator, 'GET', data(`/sobjects/Account/updated/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`));
    assert.ok((updated.json as { ids: string[] }).ids.includes(id));
    await call(emulator, 'DELETE', data(`/sobjects/Account/${id}`));
    const deleted = await call(emulator, 'GET', data(`/sobjects/Account/deleted/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(new Date(emulator.org.now + 60_000).toISOString())}`));
    const records = (deleted.json as { deletedRecords: Array<{ id: string; deletedDate: string }> }).deletedRecords;
    assert.ok(records.some((r) => r.id === id && /\+0000$/.test(r.deletedDate)));
    const missing = await call(emulator, 'GET', data('/sobjects/Account/updated'));
    assert.equal(missing.status, 400);
  });

  test('every response reports API usage; /limits agrees; past the limit comes 403', async () => {
    const small = await startEmulator({ size: 0, dailyApiLimit: 3 });
    try {
      const conn = connect(small);
      const first = await call(small, 'GET', data('/limits'));
      assert.equal(first.headers.get('sforce-limit-info'), 'api-usage=1/3');
      assert.deepEqual((first.json as { DailyApiRequests: unknown }).DailyApiRequests, { Max: 3, Remaining: 2 });
      await conn.query('SELECT Id FROM Account');
      await call(small, 'GET', data('/sobjects'));
      const refused = await call(small, 'GET', data('/sobjects'));
      assert.deepEqual([refused.status, refused.json], [403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]]);
      assert.equal(refused.headers.get('sforce-limit-info'), 'api-usage=3/3');
      await assert.rejects(async () => conn.query('SELECT Id FROM Account').then(() => undefined), (error: { errorCode?: string }) => error.errorCode === 'REQUEST_LIMIT_EXCEEDED');
      const versions = await call(small, 'GET', '/services/data', { token: null });
      assert.equal(versions.status, 200, 'the version list is not an API call');
    } finally {
      await small.close();
    }
  });

  test('the ledger counts every request by endpoint', async () => {
    emulator.ledger.reset();
    const conn = connect(emulator);
    await conn.query('SELECT Id FROM Account LIMIT 1');
    await conn.sobject('Account').upsert({ PRM_Id__c: 'ledger-1', Name: 'Ledger' }, 'PRM_Id__c');
    await conn.sobject('Account').describe();
    assert.deepEqual(emulator.ledger.counts(), { describe: 1, query: 1, 'sobject.upsert': 1 });
    assert.equal(emulator.ledger.total(), 3);
  });
});
