// Query paging through the real jsforce: `query` + `queryMore` over three pages, autoFetch,
// `Sforce-Query-Options: batchSize`, `queryAll`, `columns=true`, and query errors over HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type RunningEmulator } from './index.ts';
import { call, connect, data } from './test-support.ts';

describe('query over HTTP', () => {
  let emulator: RunningEmulator;
  let contacts: number;

  before(async () => {
    emulator = await startEmulator({ size: 3_000, seed: 'paging' });
    contacts = emulator.seeded.Contact;
    assert.ok(contacts > 4_000 && contacts <= 6_000, `seed gave ${contacts} contacts`);
  });
  after(() => emulator.close());

  test('query + queryMore walk three pages of 2,000 with nextRecordsUrl', async () => {
    const conn = connect(emulator);
    emulator.ledger.reset();
    const first = await conn.query('SELECT Id, Email, Account.Name FROM Contact ORDER BY Id');
    assert.equal(first.totalSize, contacts);
    assert.equal(first.done, false);
    assert.equal(first.records.length, 2_000);
    assert.match(first.nextRecordsUrl ?? '', /\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-2000$/);
    const second = await conn.queryMore(first.nextRecordsUrl as string);
    assert.equal(second.records.length, 2_000);
    const third = await conn.queryMore(second.nextRecordsUrl as string);
    assert.equal(third.done, true);
    assert.equal(third.nextRecordsUrl, undefined);
    const all = [...first.records, ...second.records, ...third.records].map((r) => r.Id as string);
    assert.equal(all.length, contacts);
    assert.equal(new Set(all).size, contacts);
    assert.deepEqual(all, [...all].sort());
    assert.deepEqual(emulator.ledger.counts(), { query: 1, queryMore: 2 });
    const raw = await call(emulator, 'GET', data(`/query?q=${encodeURIComponent('SELECT Id FROM Contact')}`));
    assert.match((raw.json as { nextRecordsUrl: string }).nextRecordsUrl, /^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-2000$/, 'Salesforce gives a path');
  });

  test('autoFetch collects every page; batchSize asks for smaller pages', async () => {
    const conn = connect(emulator);
    const all = await conn.query('SELECT Id FROM Contact').run({ autoFetch: true, maxFetch: 100_000 });
    assert.equal(all.records.length, contacts);
    const small = await call(emulator, 'GET', data(`/query?q=${encodeURIComponent('SELECT Id FROM Account')}`), { headers: { 'Sforce-Query-Options': 'batchSize=500' } });
    const body = small.json as { records: unknown[]; nextRecordsUrl: string; totalSize: number };
    assert.deepEqual([body.records.length, body.totalSize], [500, 3_000]);
    assert.match(body.nextRecordsUrl, /-500$/);
    const tiny = await call(emulator, 'GET', data(`/query?q=${encodeURIComponent('SELECT Id FROM Account')}`), { headers: { 'Sforce-Query-Options': 'batchSize=10' } });
    assert.equal((tiny.json as { records: unknown[] }).records.length, 200, 'batch sizes below 200 are raised to 200');
  });

  test('later pages show records as they were when the query ran', async () => {
    const conn = connect(emulator);
    const first = await conn.query('SELECT Id, Name FROM Account ORDER BY Id');
    const next = new URL(first.nextRecordsUrl as string).pathname;
    const nextIds = (await call(emulator, 'GET', next)).json as { records: Array<{ Id: string; Name: string }> };
    const target = nextIds.records[0] as { Id: string; Name: string };
    await conn.sobject('Account').update({ Id: target.Id, Name: 'Renamed meanwhile' });
    const again = (await call(emulator, 'GET', next)).json as { records: Array<{ Id: string; Name: string }> };
    assert.equal(again.records[0]?.Name, target.Name);
  });

  test('queryAll returns deleted rows with IsDeleted; query does not', async () => {
    const conn = connect(emulator);
    const victim = (await conn.query('SELECT Id FROM Contact LIMIT 1')).records[0]?.Id as string;
    await conn.sobject('Contact').destroy(victim);
    const live = await conn.query(`SELECT Id FROM Contact WHERE Id = '${victim}'`);
    assert.equal(live.totalSize, 0);
    const all = await conn.query(`SELECT Id, IsDeleted FROM Contact WHERE Id = '${victim}'`, { scanAll: true });
    assert.deepEqual(all.records.map((r) => r.IsDeleted), [true]);
  });

  test('COUNT() reports totalSize with no records', async () => {
    const response = await call(emulator, 'GET', data(`/query?q=${encodeURIComponent('SELECT COUNT() FROM Account')}`));
    assert.deepEqual(response.json, { totalSize: 3_000, done: true, records: [] });
  });

  test('columns=true describes the selected columns the way sf data query reads them', async () => {
    const soql = 'SELECT Id, Name, Owner.Email, (SELECT LastName FROM Contacts) FROM Account LIMIT 1';
    const response = await call(emulator, 'GET', data(`/query?q=${encodeURIComponent(soql)}&columns=true`));
    const body = response.json as { entityName: string; columnMetadata: Array<{ columnName: string; aggregate: boolean; joinColumns: Array<{ columnName: string; displayName: string }> }> };
    assert.equal(body.entityName, 'Account');
    assert.deepEqual(body.columnMetadata.map((c) => c.columnName), ['Id', 'Name', 'Owner', 'Contacts']);
    assert.deepEqual(body.columnMetadata[2]?.joinColumns.map((c) => c.displayName), ['Owner.Email']);
    assert.equal(body.columnMetadata[3]?.aggregate, true);
  });

  test('query errors answer 400 with Salesforce bodies', async () => {
    const malformed = await call(emulator, 'GET', data(`/query?q=${encodeURIComponent('SELECT FROM Account')}`));
    assert.equal(malformed.status, 400);
    assert.equal((malformed.json as Array<{ errorCode: string }>)[0]?.errorCode, 'MALFORMED_QUERY');
    const invalidField = await call(emulator, 'GET', data(`/query?q=${encodeURIComponent('SELECT Nope__c FROM Account')}`));
    const [error] = invalidField.json as Array<{ errorCode: string; message: string }>;
    assert.equal(error?.errorCode, 'INVALID_FIELD');
    assert.match(error?.message ?? '', /ERROR at Row:1:Column:8\nNo such column 'Nope__c' on entity 'Account'/);
    const unknownType = await call(emulator, 'GET', data(`/query?q=${encodeURIComponent('SELECT Id FROM ScratchOrgInfo LIMIT 1')}`));
    assert.equal((unknownType.json as Array<{ errorCode: string }>)[0]?.errorCode, 'INVALID_TYPE');
    const noQuery = await call(emulator, 'GET', data('/query'));
    assert.deepEqual(noQuery.json, [{ message: 'A query string has to be specified', errorCode: 'MALFORMED_QUERY' }]);
    const locator = await call(emulator, 'GET', data('/query/01gGm0000000001AAA-2000'));
    assert.deepEqual([locator.status, locator.json], [400, [{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]]);
    const conn = connect(emulator);
    await assert.rejects(async () => conn.query('SELECT Id FROM Account WHERE Name = 5').then(() => undefined), (e: { errorCode?: string }) => e.errorCode === 'INVALID_FIELD');
  });
});
