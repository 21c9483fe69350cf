// /log and /log.csv: filters, counts by code, paging, HTML escaping of whatever the log holds, a CSV that
// spreadsheets cannot run as formulas, and "Retry failed records".
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { logRow } from '../../middleware/log/catalogue.ts';
import { writeLog } from '../../middleware/log/repository.ts';
import { runsRepository } from '../../middleware/sync/runs.ts';
import { alerts, Client, openConsole } from './helpers.ts';
import { insertPrmSample } from './fixtures.ts';
import { databaseLabel } from '../helpers/db.ts';

const ui = await openConsole();
after(() => ui.close());
const db = ui.database.db;
const client = new Client(ui.app);
await client.login();

const sample = await insertPrmSample(db, '<script>alert(1)</script> Inc');
const other = await insertPrmSample(db, 'Other GmbH');
const runId = await runsRepository.start(db, 'accounts_contacts', 'incremental');
const olderRun = await runsRepository.start(db, 'deals', 'incremental');
await db('sync_links').insert([
  { object: 'organization', prm_id: sample.organizationId, sf_id: '001000000000001AAA', state: 'linked' },
  { object: 'organization', prm_id: other.organizationId, sf_id: '001000000000002AAA', state: 'linked' },
  { object: 'contact', prm_id: sample.contactId, sf_id: '003000000000001AAA', state: 'linked' },
]);
await writeLog(db, [
  logRow('SF_WRITE_FAILED', { object: 'Account', name: '=HYPERLINK("http://evil.example","click")', statusCode: 'STRING_TOO_LONG', detail: 'too long' }, { runId, object: 'organization', prmId: sample.organizationId, sfId: '001000000000001AAA' }),
  logRow('SF_WRITE_FAILED', { object: 'Account', name: '<img src=x onerror=alert(2)>', statusCode: 'REQUIRED_FIELD_MISSING', detail: '@SUM(A1)' }, { runId, object: 'organization', prmId: other.organizationId }),
  logRow('CONTACT_NO_EMAIL', { name: '+Robert "Bob" Nguyen' }, { runId, object: 'contact', sfId: '003000000000009AAA' }),
  logRow('PRM_WRITE_FAILED', { object: 'contact', name: 'Jo Doe', detail: '-1 is not a valid value' }, { runId, object: 'contact', prmId: sample.contactId, sfId: '003000000000001AAA' }),
  logRow('RUN_FINISHED', { job: 'accounts_contacts', summary: 'fine' }, { runId }),
  logRow('RUN_FAILED', { job: 'deals', reason: 'boom' }, { runId: olderRun }),
]);

test(`the log lists entries newest first with message and suggestion, escaped (${databaseLabel()})`, async () => {
  const page = await client.get('/log');
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /<img src=x/);
  assert.doesNotMatch(page.body, /<script>alert/);
  assert.match(page.body, /&lt;img src&#x3D;x onerror&#x3D;alert\(2\)&gt;/);
  assert.match(page.body, /Salesforce refused the Account &quot;&#x3D;HYPERLINK/);
  assert.match(page.body, /Shorten the value in the PRM, or widen the Salesforce field/);
  assert.match(page.body, new RegExp(`href="/records/organizations/${sample.organizationId}"`));
  assert.match(page.body, /1–6 of 6/);
});

test('filters by level, object, code, record and run; counts group by code', async () => {
  const errors = await client.get('/log?level=error');
  assert.match(errors.body, /1–4 of 4/);
  assert.doesNotMatch(errors.body, /CONTACT_NO_EMAIL<\/div>/);
  const byObject = await client.get('/log?level=error&object=contact');
  assert.match(byObject.body, /1–1 of 1/);
  assert.match(byObject.body, /PRM_WRITE_FAILED/);
  const byCode = await client.get('/log?code=SF_WRITE_FAILED');
  assert.match(byCode.body, /1–2 of 2/);
  assert.match(byCode.body, /console-groups__item console-groups__item_active"><a href="\/log\?code&#x3D;SF_WRITE_FAILED"><span class="console-groups__code">SF_WRITE_FAILED<\/span>/);
  const byPrmRecord = await client.get(`/log?record=${sample.organizationId}`);
  assert.match(byPrmRecord.body, /1–1 of 1/);
  const bySfRecord = await client.get('/log?record=003000000000009');
  assert.match(bySfRecord.body, /1–1 of 1/);
  assert.match(bySfRecord.body, /CONTACT_NO_EMAIL/);
  const byRun = await client.get(`/log?run=${olderRun}`);
  assert.match(byRun.body, /1–1 of 1/);
  assert.match(byRun.body, /RUN_FAILED/);
  // Counts by code ignore the code filter itself, so every code stays one click away.
  const groups = [...(await client.get('/log?level=error')).body.matchAll(/console-groups__code">([A-Z_]+)<\/span>[\s\S]*?console-groups__count">(\d+)</g)].map((m) => [m[1], Number(m[2])]);
  assert.deepEqual(groups, [['SF_WRITE_FAILED', 2], ['PRM_WRITE_FAILED', 1], ['RUN_FAILED', 1]]);
  const invalid = await client.get('/log?level=fatal');
  assert.equal(invalid.statusCode, 400);
});

test('pages of 50', async () => {
  await writeLog(db, Array.from({ length: 60 }, (_, i) => logRow('CONTACT_NO_EMAIL', { name: `Contact ${i}` }, { runId, object: 'contact' })));
  const first = await client.get('/log?object=contact');
  assert.match(first.body, /1–50 of 62/);
  assert.match(first.body, /href="\/log\?object&#x3D;contact&amp;page&#x3D;2">Next</);
  const second = await client.get('/log?object=contact&page=2');
  assert.match(second.body, /51–62 of 62/);
});

test('the CSV export has every matching row, and no cell a spreadsheet would run', async () => {
  const response = await client.get('/log.csv?level=error');
  assert.equal(response.statusCode, 200);
  const rows = parse(response.body, { columns: true }) as Array<Record<string, string>>;
  assert.equal(rows.length, 4);
  assert.deepEqual(Object.keys(rows[0] ?? {}), ['created_at', 'level', 'object', 'prm_id', 'sf_id', 'code', 'message', 'suggestion', 'run_id', 'details']);
  for (const row of rows) {
    for (const [column, cell] of Object.entries(row)) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `${column}: ${cell}`);
  }
  const hyperlink = rows.find((row) => row.prm_id === sample.organizationId);
  assert.match(hyperlink?.message ?? '', /^Salesforce refused the Account "=HYPERLINK/);
  const all = parse((await client.get('/log.csv')).body, { columns: true }) as Array<Record<string, string>>;
  assert.equal(all.length, 66);
  const bob = all.find((row) => row.code === 'CONTACT_NO_EMAIL' && row.message?.includes('Bob'));
  assert.equal(bob?.message, 'Salesforce contact "+Robert "Bob" Nguyen" has no email address and cannot sync.');
  // A cell that starts dangerous is quoted with a leading apostrophe.
  await writeLog(db, [logRow('RUN_FAILED', { job: 'x', reason: 'r' }, { runId, object: '=cmd|calc', prmId: null })]);
  const injected = parse((await client.get('/log.csv?code=RUN_FAILED')).body, { columns: true }) as Array<Record<string, string>>;
  assert.ok(injected.some((row) => row.object === "'=cmd|calc"));
});

test('"Retry failed records" marks the links behind the matching error rows, and only those', async () => {
  const response = await client.post('/log/retry', { level: 'error', object: 'organization' }, { csrfFrom: '/log' });
  assert.equal(response.statusCode, 303);
  assert.equal(response.headers.location, '/log?object=organization&level=error');
  const retry = await db('sync_links').where({ needs_retry: true }).orderBy('prm_id');
  assert.deepEqual(retry.map((link) => link.prm_id).sort(), [sample.organizationId, other.organizationId].sort());
  assert.match(alerts((await client.get('/log')).body).join(' '), /2 records are marked for retry on the next run/);
  await client.post('/log/retry', { level: 'error', code: 'RUN_FAILED' }, { csrfFrom: '/log' });
  assert.match(alerts((await client.get('/log')).body).join(' '), /No linked record to retry\. 2 error entries name no linked record/);
});

test('escaping on the record page too', async () => {
  const page = await client.get(`/records/organizations/${sample.organizationId}`);
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /<script>alert\(1\)/);
  assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt; Inc/);
  assert.match(page.body, /<title>Organization: &lt;script&gt;alert\(1\)&lt;\/script&gt; Inc · prm-sync<\/title>/);
});
