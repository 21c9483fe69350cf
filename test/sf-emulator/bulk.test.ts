// Bulk API 2.0 against the emulator over HTTP with the real jsforce: a 10,000-row ingest with partial
// failure, upsert with parent lookups by external id and #N/A, update and delete, query jobs (one page
// through jsforce, several pages by locator), job failures, abort/delete, and injected row faults.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jsforce from 'jsforce';
import type { Connection } from 'jsforce';
import { startEmulator } from './index.ts';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Row = Record<string, string>;

const VERSION = '62.0';

describe('Bulk API 2.0 with jsforce', { timeout: 180_000 }, () => {
  let emulator: Emulator;
  let conn: Connection;
  let token: string;

  /** Raw HTTP to the emulator with the session's token, for what jsforce does not expose. */
  async function http(method: string, path: string, body?: string, contentType = 'application/json'): Promise<Response> {
    return fetch(`${emulator.url}/services/data/v${VERSION}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
      body,
    });
  }

  /** Creates an ingest job, uploads `csv`, closes it and waits for the end; answers the final job info. */
  async function runIngest(job: Record<string, unknown>, csv: string): Promise<Record<string, unknown>> {
    const created = (await (await http('POST', '/jobs/ingest', JSON.stringify(job))).json()) as { id: string };
    assert.equal((await http('PUT', `/jobs/ingest/${created.id}/batches`, csv, 'text/csv')).status, 201);
    assert.equal((await http('PATCH', `/jobs/ingest/${created.id}`, JSON.stringify({ state: 'UploadComplete' }))).status, 200);
    return waitForJob('ingest', created.id);
  }

  async function waitForJob(kind: 'ingest' | 'query', id: string): Promise<Record<string, unknown>> {
    for (let attempt = 0; attempt < 600; attempt++) {
      const info = (await (await http('GET', `/jobs/${kind}/${id}`)).json()) as Record<string, unknown>;
      if (['JobComplete', 'Failed', 'Aborted'].includes(String(info.state))) return info;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`job ${id} did not finish`);
  }

  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 42 });
    const login = new jsforce.Connection({ oauth2: { loginUrl: emulator.url, clientId: 'bulk-test', clientSecret: 'secret' }, version: VERSION });
    await login.login('integration@prm-sync.test', 'emulator');
    conn = login;
    token = conn.accessToken as string;
    conn.bulk2.pollInterval = 50;
    conn.bulk2.pollTimeout = 120_000;
  });

  after(async () => {
    await emulator?.close();
  });

  it('ingests 10,000 accounts with loadAndWaitForResults and reports the rows that fail', async () => {
    const input = Array.from({ length: 10_000 }, (_, i) => ({
      // Every 1,000th row has no Name: Salesforce refuses those rows and keeps the rest.
      Name: i % 1000 === 999 ? '' : `Bulk Account ${i}`,
      PRM_Id__c: `bulk-${i}`,
      Website: `https://bulk-${i}.example.com`,
      NumberOfEmployees: String(i),
    }));
    const results = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input });
    assert.equal(results.successfulResults.length, 9_990);
    assert.equal(results.failedResults.length, 10);
    assert.equal(results.unprocessedRecords.length, 0);

    const first = results.successfulResults[0] as unknown as Row;
    assert.match(first.sf__Id ?? '', /^001[A-Za-z0-9]{15}$/);
    assert.equal(first.sf__Created, 'true');
    assert.equal(first.Name, 'Bulk Account 0');
    const failed = results.failedResults[0] as unknown as Row;
    assert.equal(failed.PRM_Id__c, 'bulk-999');
    assert.match(failed.sf__Error ?? '', /^REQUIRED_FIELD_MISSING:Required fields are missing: \[Name\]:Name --$/);

    const stored = emulator.org.query("SELECT Id, Name, NumberOfEmployees FROM Account WHERE PRM_Id__c = 'bulk-1234'").records[0];
    assert.deepEqual([stored?.Name, stored?.NumberOfEmployees], ['Bulk Account 1234', 1234]);
    assert.equal(emulator.org.query("SELECT COUNT() FROM Account WHERE PRM_Id__c LIKE 'bulk-%'").totalSize, 9_990);
  });

  it('reports job info with counts and lists the job', async () => {
    const info = await runIngest({ object: 'Account', operation: 'insert' }, 'Name,PRM_Id__c\nInfo One,info-1\n,info-2\n');
    assert.equal(info.state, 'JobComplete');
    assert.equal(info.numberRecordsProcessed, 2);
    assert.equal(info.numberRecordsFailed, 1);
    assert.equal(info.jobType, 'V2Ingest');
    assert.equal(info.apiVersion, 62);
    assert.match(String(info.createdDate), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const list = (await (await http('GET', '/jobs/ingest')).json()) as { done: boolean; records: Array<{ id: string }> };
    assert.equal(list.done, true);
    assert.ok(list.records.some((job) => job.id === info.id));
  });

  it('upserts contacts by external id, links accounts by their external id and clears with #N/A', async () => {
    const csv = [
      'PRM_Id__c,LastName,Email,Account.PRM_Id__c',
      'c-1,Lovelace,ada@example.com,bulk-1',
      'c-2,Hopper,grace@example.com,bulk-2',
      'c-3,Nobody,nobody@example.com,no-such-account',
    ].join('\n');
    const job = conn.bulk2.createJob({ object: 'Contact', operation: 'upsert', externalIdFieldName: 'PRM_Id__c' });
    await job.open();
    await job.uploadData(csv);
    await job.close();
    await job.poll(50, 30_000);
    const first = await job.getAllResults();
    assert.deepEqual(first.successfulResults.map((r) => [(r as unknown as Row).PRM_Id__c, r.sf__Created]), [['c-1', 'true'], ['c-2', 'true']]);
    assert.equal(first.failedResults.length, 1);
    assert.match(String(first.failedResults[0]?.sf__Error), /^INVALID_FIELD:Foreign key external ID: no-such-account not found for field PRM_Id__c in entity Account:--$/);
    const ada = emulator.org.query("SELECT Id, Email, Account.PRM_Id__c FROM Contact WHERE PRM_Id__c = 'c-1'").records[0] as Record<string, unknown>;
    assert.equal((ada.Account as Record<string, unknown>).PRM_Id__c, 'bulk-1');

    // Second upsert of the same key updates (sf__Created false); #N/A clears Email, an empty cell keeps LastName.
    const again = await runIngest({ object: 'Contact', operation: 'upsert', externalIdFieldName: 'PRM_Id__c' }, 'PRM_Id__c,LastName,Email\nc-1,,#N/A\n');
    assert.equal(again.numberRecordsFailed, 0);
    const updated = emulator.org.query("SELECT LastName, Email FROM Contact WHERE PRM_Id__c = 'c-1'").records[0];
    assert.deepEqual([updated?.LastName, updated?.Email], ['Lovelace', null]);
    const success = await (await http('GET', `/jobs/ingest/${String(again.id)}/successfulResults`)).text();
    assert.equal(success, `"sf__Id","sf__Created","PRM_Id__c","LastName","Email"\n"${String(ada.Id)}","false","c-1",,"#N/A"\n`);
  });

  it('updates and deletes by Id, with per-row errors for bad ids and bad values', async () => {
    const [one, two] = emulator.org.query("SELECT Id FROM Account WHERE PRM_Id__c IN ('bulk-10', 'bulk-11') ORDER BY PRM_Id__c").records;
    const update = await runIngest(
      { object: 'Account', operation: 'update' },
      `Id,Name,NumberOfEmployees\n${String(one?.Id)},Renamed Ten,10\n${String(two?.Id)},Renamed Eleven,eleven\n001000000000000AAA,Ghost,1\n`,
    );
    assert.equal(update.numberRecordsProcessed, 3);
    assert.equal(update.numberRecordsFailed, 2);
    const failed = await (await http('GET', `/jobs/ingest/${String(update.id)}/failedResults`)).text();
    assert.match(failed, /"INVALID_FIELD:Failed to deserialize field at col 3\. Due to, 'eleven' is not a valid value for the type xsd:int:NumberOfEmployees --"/);
    assert.equal(emulator.org.retrieve('Account', String(one?.Id), ['Name'])?.Name, 'Renamed Ten');

    const removal = await runIngest({ object: 'Account', operation: 'delete' }, `Id\n${String(one?.Id)}\n`);
    assert.equal(removal.numberRecordsFailed, 0);
    const deleted = emulator.org.query(`SELECT Id, IsDeleted FROM Account WHERE Id = '${String(one?.Id)}'`, { includeDeleted: true }).records[0];
    assert.equal(deleted?.IsDeleted, true);
  });

  it('fails the whole job for a header the object does not have, or the wrong line ending', async () => {
    const unknown = await runIngest({ object: 'Account', operation: 'insert' }, 'Name,Not_A_Field__c\nAcme,1\n');
    assert.equal(unknown.state, 'Failed');
    assert.equal(unknown.errorMessage, 'InvalidBatch : Field name not found : Not_A_Field__c');
    const unprocessed = await (await http('GET', `/jobs/ingest/${String(unknown.id)}/unprocessedrecords`)).text();
    assert.equal(unprocessed, '"Name","Not_A_Field__c"\n"Acme","1"\n');

    const crlf = await runIngest({ object: 'Account', operation: 'insert', lineEnding: 'LF' }, 'Name\r\nAcme\r\n');
    assert.equal(crlf.state, 'Failed');
    assert.equal(crlf.errorMessage, 'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF');

    const crlfOk = await runIngest({ object: 'Account', operation: 'insert', lineEnding: 'CRLF', columnDelimiter: 'SEMICOLON' }, 'Name;Website\r\nSemi Colon Ltd;https://semi.example.com\r\n');
    assert.equal(crlfOk.state, 'JobComplete');
    assert.equal(crlfOk.numberRecordsFailed, 0);
  });

  it('refuses bad job requests with Salesforce error bodies', async () => {
    const badObject = await http('POST', '/jobs/ingest', JSON.stringify({ object: 'Acount', operation: 'insert' }));
    assert.equal(badObject.status, 400);
    assert.deepEqual(await badObject.json(), [{ errorCode: 'INVALIDJOB', message: 'InvalidJob : Unable to find object: Acount' }]);
    const noExternalId = await http('POST', '/jobs/ingest', JSON.stringify({ object: 'Account', operation: 'upsert', externalIdFieldName: 'Name' }));
    assert.equal(noExternalId.status, 400);
    assert.match(JSON.stringify(await noExternalId.json()), /does not match an External ID, Salesforce Id, or indexed field for Account/);
    const missing = await http('GET', '/jobs/ingest/7505f000000000000AAA');
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);

    const open = (await (await http('POST', '/jobs/ingest', JSON.stringify({ object: 'Account', operation: 'insert' }))).json()) as { id: string; state: string };
    assert.equal(open.state, 'Open');
    assert.equal((await http('GET', `/jobs/ingest/${open.id}/successfulResults`)).status, 409);
    assert.equal((await http('DELETE', `/jobs/ingest/${open.id}`)).status, 409);
    const aborted = (await (await http('PATCH', `/jobs/ingest/${open.id}`, JSON.stringify({ state: 'Aborted' }))).json()) as { state: string };
    assert.equal(aborted.state, 'Aborted');
    assert.equal((await http('PUT', `/jobs/ingest/${open.id}/batches`, 'Name\nLate\n', 'text/csv')).status, 409);
    assert.equal((await http('DELETE', `/jobs/ingest/${open.id}`)).status, 204);
    assert.equal((await http('GET', `/jobs/ingest/${open.id}`)).status, 404);
  });

  it('reports injected per-row failures (UNABLE_TO_LOCK_ROW) in failedResults', async () => {
    const rule = emulator.faults.failRecords({ api: 'bulk2', object: 'Account', every: 2 });
    try {
      const info = await runIngest({ object: 'Account', operation: 'insert' }, 'Name\nLock 1\nLock 2\nLock 3\nLock 4\n');
      assert.equal(info.numberRecordsFailed, 2);
      const failed = await (await http('GET', `/jobs/ingest/${String(info.id)}/failedResults`)).text();
      assert.equal(failed.split('\n').filter((l) => l.includes('UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record')).length, 2);
    } finally {
      rule.remove();
    }
  });

  it('runs a Bulk 2.0 query through jsforce, parent fields as Account.Name columns', async () => {
    const stream = await conn.bulk2.query("SELECT Id, LastName, Account.Name FROM Contact WHERE PRM_Id__c IN ('c-1', 'c-2') ORDER BY LastName");
    const records: Row[] = [];
    for await (const record of stream) records.push(record as Row);
    assert.deepEqual(
      records.map((r) => [r.LastName, r['Account.Name']]),
      [['Hopper', 'Bulk Account 2'], ['Lovelace', 'Bulk Account 1']],
    );
  });

  it('pages query results with Sforce-Locator, ending with the literal null', async () => {
    const created = await http('POST', '/jobs/query', JSON.stringify({ operation: 'query', query: "SELECT Id, Name FROM Account WHERE PRM_Id__c LIKE 'bulk-%'" }));
    assert.equal(created.status, 200);
    const job = (await created.json()) as { id: string; state: string };
    assert.equal(job.state, 'UploadComplete');
    const info = await waitForJob('query', job.id);
    assert.equal(info.state, 'JobComplete');
    assert.equal(info.numberRecordsProcessed, 9_989); // 9,990 inserted, one deleted since

    const pages: Array<{ count: string | null; locator: string | null; lines: number }> = [];
    let locator: string | null = '';
    const ids = new Set<string>();
    while (locator !== 'null') {
      const response = await http('GET', `/jobs/query/${job.id}/results?maxRecords=4000${locator ? `&locator=${locator}` : ''}`);
      assert.equal(response.status, 200);
      const lines = (await response.text()).trim().split('\n');
      assert.equal(lines[0], '"Id","Name"');
      for (const line of lines.slice(1)) ids.add(line.split(',')[0] ?? '');
      locator = response.headers.get('sforce-locator');
      pages.push({ count: response.headers.get('sforce-numberofrecords'), locator, lines: lines.length - 1 });
    }
    assert.deepEqual(pages.map((p) => [p.count, p.lines]), [['4000', 4000], ['4000', 4000], ['1989', 1989]]);
    assert.equal(pages.at(-1)?.locator, 'null');
    assert.equal(ids.size, 9_989);
  });

  it('includes deleted rows with queryAll and refuses what bulk queries cannot do', async () => {
    const all = (await (await http('POST', '/jobs/query', JSON.stringify({ operation: 'queryAll', query: "SELECT Id, IsDeleted FROM Account WHERE PRM_Id__c = 'bulk-10'" }))).json()) as { id: string };
    await waitForJob('query', all.id);
    assert.match(await (await http('GET', `/jobs/query/${all.id}/results`)).text(), /"true"\n$/);

    const subquery = await http('POST', '/jobs/query', JSON.stringify({ operation: 'query', query: 'SELECT Id, (SELECT Id FROM Contacts) FROM Account' }));
    assert.equal(subquery.status, 400);
    const badField = await http('POST', '/jobs/query', JSON.stringify({ operation: 'query', query: 'SELECT Nope__c FROM Account' }));
    assert.equal(badField.status, 400);
    assert.equal(((await badField.json()) as Array<{ errorCode: string }>)[0]?.errorCode, 'INVALID_FIELD');
  });

  it('keeps answering other requests while a 50,000-row job runs', async () => {
    const rows = ['Name'];
    for (let i = 0; i < 50_000; i++) rows.push(`Busy ${i}`);
    const created = (await (await http('POST', '/jobs/ingest', JSON.stringify({ object: 'Account', operation: 'insert' }))).json()) as { id: string };
    await http('PUT', `/jobs/ingest/${created.id}/batches`, rows.join('\n'), 'text/csv');
    await http('PATCH', `/jobs/ingest/${created.id}`, JSON.stringify({ state: 'UploadComplete' }));
    let slowest = 0;
    let sawInProgress = false;
    for (;;) {
      const started = Date.now();
      const info = (await (await http('GET', `/jobs/ingest/${created.id}`)).json()) as { state: string; numberRecordsProcessed: number };
      slowest = Math.max(slowest, Date.now() - started);
      if (info.state === 'InProgress' && info.numberRecordsProcessed > 0) sawInProgress = true;
      if (info.state === 'JobComplete') break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.ok(sawInProgress, 'the job info should show progress while the job runs');
    assert.ok(slowest < 1_000, `a status request waited ${slowest} ms behind the job`);
  });
});
