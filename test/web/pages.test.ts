// Every console page: 200 when logged in, a redirect to /login when not; every form POST refused with 403
// without a valid CSRF token (and nothing changed).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { alerts, Client, openConsole, routesFromTree } from './helpers.ts';
import { insertPrmSample } from './fixtures.ts';
import { databaseLabel } from '../helpers/db.ts';

const ui = await openConsole();
after(() => ui.close());
const sample = await insertPrmSample(ui.database.db);

const PAGES = [
  '/',
  '/sync',
  '/sync?page=1',
  '/sync/status.json',
  '/settings',
  '/settings?refresh=1',
  '/settings/connection',
  '/settings/metadata',
  '/settings/mappings',
  '/settings/mappings?object=contacts',
  '/settings/mappings?object=deals',
  '/settings/mappings/values?object=organizations&index=0',
  '/log',
  '/log?level=error&object=organization&code=SF_WRITE_FAILED',
  '/log.csv',
  `/records/organizations/${sample.organizationId}`,
  `/records/contacts/${sample.contactId}`,
  `/records/deals/${sample.dealId}`,
];

test(`every page redirects to /login when not logged in (${databaseLabel()})`, async () => {
  const client = new Client(ui.app);
  for (const url of [...PAGES, '/settings/connection/oauth/start', '/settings/connection/oauth/callback?code=x&state=y']) {
    const response = await client.get(url);
    assert.equal(response.statusCode, 302, url);
    assert.match(String(response.headers.location), /^\/login/, url);
  }
});

test('every page answers 200 when logged in', async () => {
  const client = new Client(ui.app);
  await client.login();
  for (const url of PAGES) {
    const response = await client.get(url);
    const expected = url === '/' ? 302 : 200;
    assert.equal(response.statusCode, expected, `${url}: ${response.body.slice(0, 300)}`);
  }
  assert.equal((await client.get('/')).headers.location, '/sync');
});

test('pages render HTML with the console frame; unknown records are a 404 page', async () => {
  const client = new Client(ui.app);
  await client.login();
  const sync = await client.get('/sync');
  assert.match(String(sync.headers['content-type']), /text\/html/);
  assert.match(sync.body, /<title>Sync Manager · prm-sync<\/title>/);
  assert.match(sync.body, /Run Full Sync Now/);
  const missing = await client.get('/records/organizations/00000000-0000-4000-8000-000000000000');
  assert.equal(missing.statusCode, 404);
  assert.match(missing.body, /Organization 00000000-0000-4000-8000-000000000000 does not exist/);
  const badId = await client.get('/records/organizations/not-a-uuid');
  assert.equal(badId.statusCode, 400);
  assert.match(badId.body, /Invalid input/);
  const csv = await client.get('/log.csv');
  assert.match(String(csv.headers['content-type']), /text\/csv/);
  assert.match(String(csv.headers['content-disposition']), /attachment; filename="integration-log-/);
});

test('every form POST is refused without a valid CSRF token, and changes nothing', async () => {
  const client = new Client(ui.app);
  await client.login();
  const posts = routesFromTree(ui.app.printRoutes({ commonPrefix: false, method: 'POST' })).filter((path) => !path.startsWith('/api/'));
  const expected = [
    '/login', '/logout', '/log/retry', '/settings', '/settings/connection/app', '/settings/connection/test', '/settings/connection/disconnect', '/settings/connection/delete',
    '/settings/mappings', '/settings/mappings/values', '/settings/mappings/new-field', '/sync/run', '/sync/run-full', '/sync/pause',
    '/records/:kind/:id/sync', '/records/:kind/:id/unlink', '/records/:kind/:id/relink',
    '/wizard/master-system', '/wizard/refresh', '/wizard/organizations/decide', '/wizard/accounts/decide', '/wizard/contacts/decide', '/wizard/confirm', '/wizard/links/:id/undo',
  ];
  assert.deepEqual([...posts].sort(), [...expected].sort(), 'the console has exactly these forms; add new ones here');
  const settingsBefore = await ui.database.db('settings_audit').count({ n: '*' }).first();
  for (const route of posts) {
    const url = route.replace(':kind', 'organizations').replace(':id', sample.organizationId);
    const form = { confirm: 'DELETE INTEGRATION', job: 'deals', mode: 'full', paused: '1', version: '0', enabled: 'on', sfId: '001000000000001AAA' };
    for (const csrf of [undefined, 'forged-token']) {
      const response = await client.post(url, csrf ? { ...form, _csrf: csrf } : form, { csrf: false });
      assert.equal(response.statusCode, 403, `${url} with ${csrf ?? 'no'} token`);
      assert.ok(alerts(response.body).length > 0 || /Form not accepted/.test(response.body), url);
    }
  }
  assert.deepEqual(await ui.database.db('settings_audit').count({ n: '*' }).first(), settingsBefore);
  assert.equal((await ui.database.db('job_controls').where({ paused: true })).length, 0);
  assert.equal((await client.get('/sync')).statusCode, 200, 'still logged in: /logout without a token did nothing');
});

test('a token from another session does not work either', async () => {
  const mallory = new Client(ui.app);
  await mallory.login();
  const stolen = await mallory.csrfToken('/sync');
  const victim = new Client(ui.app);
  await victim.login();
  const response = await victim.post('/sync/pause', { job: 'deals', paused: '1', _csrf: stolen }, { csrf: false });
  assert.equal(response.statusCode, 403);
});
