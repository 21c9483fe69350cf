// sObject Collections and Composite through the real jsforce and raw HTTP: per-record results in order,
// partial failure, allOrNone rollback, the 200-record limit, injected UNABLE_TO_LOCK_ROW, references.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SaveResult } from './contracts.ts';
import { startEmulator, type RunningEmulator } from './index.ts';
import { call, connect, data } from './test-support.ts';

describe('sObject Collections', () => {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ size: 0 });
  });
  after(() => emulator.close());

  const count = (soql: string) => emulator.org.query(soql).totalSize;

  test('create several records with one call; failures stay per record', async () => {
    const conn = connect(emulator);
    emulator.ledger.reset();
    const results = (await conn.sobject('Account').create([{ Name: 'Col A' }, { Name: '' }, { Name: 'Col C', PRM_Partner_Status__c: 'Nonsense' }, { Name: 'Col D' }])) as SaveResult[];
    assert.deepEqual(results.map((r) => r.success), [true, false, false, true]);
    assert.deepEqual(results[1]?.errors, [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }]);
    assert.equal(results[2]?.errors[0]?.statusCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    assert.equal(count("SELECT COUNT() FROM Account WHERE Name LIKE 'Col %'"), 2);
    assert.deepEqual(emulator.ledger.counts(), { 'collections.create': 1 });
  });

  test('allOrNone rolls every record back and says why', async () => {
    const conn = connect(emulator);
    const results = (await conn.sobject('Account').create([{ Name: 'Atomic A' }, { Name: 'x'.repeat(300) }], { allOrNone: true })) as SaveResult[];
    assert.deepEqual(results.map((r) => r.success), [false, false]);
    assert.equal(results[0]?.errors[0]?.statusCode, 'ALL_OR_NONE_OPERATION_ROLLED_BACK');
    assert.equal(results[1]?.errors[0]?.statusCode, 'STRING_TOO_LONG');
    assert.equal(count("SELECT COUNT() FROM Account WHERE Name = 'Atomic A'"), 0);
  });

  test('upsert by external id reports created per record', async () => {
    const conn = connect(emulator);
    await conn.sobject('Account').upsert([{ PRM_Id__c: 'c-1', Name: 'One' }], 'PRM_Id__c');
    const results = (await conn.sobject('Account').upsert([{ PRM_Id__c: 'C-1', Name: 'One again' }, { PRM_Id__c: 'c-2', Name: 'Two' }, { PRM_Id__c: 'c-3', Name: '' }], 'PRM_Id__c')) as Array<SaveResult & { created: boolean }>;
    assert.deepEqual(results.map((r) => [r.success, r.created]), [[true, false], [true, true], [false, false]]);
    assert.equal(emulator.org.query("SELECT Name FROM Account WHERE PRM_Id__c = 'c-1'").records[0]?.Name, 'One again');
  });

  test('update, retrieve and delete by ids', async () => {
    const conn = connect(emulator);
    const ids = ((await conn.sobject('Contact').create([{ LastName: 'U1' }, { LastName: 'U2' }])) as SaveResult[]).map((r) => r.id as string);
    const updated = (await conn.sobject('Contact').update([{ Id: ids[0] as string, Email: 'u1@example.com' }, { Id: ids[1] as string, Email: 'not-an-email' }])) as SaveResult[];
    assert.deepEqual(updated.map((r) => [r.id, r.success]), [[ids[0], true], [ids[1], false]]);
    const retrieved = (await conn.sobject('Contact').retrieve([...ids, '003000000000000AAA'], { fields: ['LastName', 'Email'] })) as unknown as Array<Record<string, unknown> | null>;
    assert.deepEqual(retrieved.map((r) => r?.Email ?? null), ['u1@example.com', null, null]);
    assert.equal(retrieved[2], null, 'unknown ids come back as null');
    const deleted = (await conn.sobject('Contact').destroy([...ids, ids[0] as string])) as SaveResult[];
    assert.deepEqual(deleted.map((r) => r.success), [true, true, false]);
    assert.equal(deleted[2]?.errors[0]?.statusCode, 'ENTITY_IS_DELETED');
  });

  test('more than 200 records is refused before anything is written', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Account' }, Name: `Big ${i}` }));
    const response = await call(emulator, 'POST', data('/composite/sobjects'), { body: { allOrNone: false, records } });
    assert.deepEqual([response.status, response.json], [400, [{ message: 'record limit reached. cannot submit more than 200 records into this call', errorCode: 'EXCEEDED_ID_LIMIT' }]]);
    const conn = connect(emulator);
    await assert.rejects(conn.sobject('Account').create(records.map(({ Name }) => ({ Name }))), (e: { errorCode?: string }) => e.errorCode === 'EXCEEDED_ID_LIMIT');
    assert.equal(count("SELECT COUNT() FROM Account WHERE Name LIKE 'Big %'"), 0);
  });

  test('unknown fields and types fail the whole request, as Salesforce deserializes first', async () => {
    const unknownField = await call(emulator, 'POST', data('/composite/sobjects'), { body: { records: [{ attributes: { type: 'Account' }, Name: 'ok' }, { attributes: { type: 'Account' }, Bogus__c: 1 }] } });
    assert.deepEqual([unknownField.status, (unknownField.json as Array<{ errorCode: string }>)[0]?.errorCode], [400, 'INVALID_FIELD']);
    const unknownType = await call(emulator, 'PATCH', data('/composite/sobjects/Nope__c/Id'), { body: { records: [] } });
    assert.equal(unknownType.status, 404);
    const notExternal = await call(emulator, 'PATCH', data('/composite/sobjects/Account/Name'), { body: { records: [{ attributes: { type: 'Account' }, Name: 'x' }] } });
    assert.equal(notExternal.status, 400);
    assert.equal(count("SELECT COUNT() FROM Account WHERE Name = 'ok'"), 0);
  });

  test('injected per-record failures (UNABLE_TO_LOCK_ROW) hit only the chosen records', async () => {
    const conn = connect(emulator);
    const rule = emulator.faults.failRecords({ object: 'Account', when: (values) => String(values?.Name).endsWith('locked') });
    try {
      const results = (await conn.sobject('Account').upsert([{ PRM_Id__c: 'lock-1', Name: 'fine' }, { PRM_Id__c: 'lock-2', Name: 'is locked' }], 'PRM_Id__c')) as SaveResult[];
      assert.deepEqual(results.map((r) => r.success), [true, false]);
      assert.equal(results[1]?.errors[0]?.statusCode, 'UNABLE_TO_LOCK_ROW');
      assert.equal(rule.hits, 1);
      const every = emulator.faults.failRecords({ object: 'Contact', every: 2, times: 1 });
      const batch = (await conn.sobject('Contact').create([{ LastName: 'a' }, { LastName: 'b' }, { LastName: 'c' }, { LastName: 'd' }])) as SaveResult[];
      assert.deepEqual(batch.map((r) => r.success), [true, false, true, true]);
      every.remove();
    } finally {
      rule.remove();
    }
  });
});

describe('Composite', () => {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ size: 0 });
  });
  after(() => emulator.close());

  test('subrequests run in order and reference earlier results', async () => {
    emulator.ledger.reset();
    const response = await call(emulator, 'POST', data('/composite'), {
      body: {
        allOrNone: true,
        compositeRequest: [
          { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'newAccount', body: { Name: 'Composite Co' } },
          { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'newContact', body: { LastName: 'Ref', AccountId: '@{newAccount.id}' } },
          { method: 'GET', url: "/services/data/v62.0/query?q=SELECT+Id,Account.Name+FROM+Contact+WHERE+Id='@{newContact.id}'", referenceId: 'check' },
        ],
      },
    });
    assert.equal(response.status, 200);
    const parts = (response.json as { compositeResponse: Array<{ httpStatusCode: number; referenceId: string; body: unknown }> }).compositeResponse;
    assert.deepEqual(parts.map((p) => [p.referenceId, p.httpStatusCode]), [['newAccount', 201], ['newContact', 201], ['check', 200]]);
    const check = parts[2]?.body as { records: Array<{ Account: { Name: string } }> };
    assert.equal(check.records[0]?.Account.Name, 'Composite Co');
    assert.deepEqual(emulator.ledger.counts(), { composite: 1 }, 'one API call, however many subrequests');
  });

  test('allOrNone: one failure rolls back the rest', async () => {
    const response = await call(emulator, 'POST', data('/composite'), {
      body: {
        allOrNone: true,
        compositeRequest: [
          { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'a', body: { Name: 'Rolled Back Co' } },
          { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'b', body: { FirstName: 'No last name' } },
          { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'c', body: { Name: 'Never Co' } },
        ],
      },
    });
    const parts = (response.json as { compositeResponse: Array<{ httpStatusCode: number; body: Array<{ errorCode: string }> }> }).compositeResponse;
    assert.deepEqual(parts.map((p) => [p.httpStatusCode, p.body[0]?.errorCode]), [[400, 'PROCESSING_HALTED'], [400, 'REQUIRED_FIELD_MISSING'], [400, 'PROCESSING_HALTED']]);
    assert.equal(emulator.org.query("SELECT COUNT() FROM Account WHERE Name IN ('Rolled Back Co', 'Never Co')").totalSize, 0);
  });

  test('more than 25 subrequests is refused', async () => {
    const compositeRequest = Array.from({ length: 26 }, (_, i) => ({ method: 'GET', url: '/services/data/v62.0/limits', referenceId: `r${i}` }));
    const response = await call(emulator, 'POST', data('/composite'), { body: { compositeRequest } });
    assert.equal(response.status, 400);
  });
});
