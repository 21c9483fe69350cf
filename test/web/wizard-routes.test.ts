// The matching wizard's pages through fastify.inject, against the emulated org: every action, decisions
// persisted, CSRF refused, names with markup and quotes escaped, the apply with its progress and
// confirmation, and undo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { alerts } from './helpers.ts';
import { openWizard, type WizardUnderTest } from './wizard-env.ts';
import { databaseLabel } from '../helpers/db.ts';

const SCRIPT_NAME = `<script>alert("pwned")</script> & 'Quoted' "Partners"`;
const ESCAPED = '&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &#x27;Quoted&#x27; &quot;Partners&quot;';
const CONTACT_NAME = '<img src=x onerror=alert(1)>';

let w: WizardUnderTest;
const ids = {} as Record<'script' | 'scriptAccount', string>;

before(async () => {
  w = await openWizard({
    size: 24,
    prepare: async (under) => {
      const db = under.database.db;
      const [row] = (await db('organizations').insert({ kind: 'partner', status: 'active', name: SCRIPT_NAME, billing_city: 'Lyon', phone: '+33 4 72 00 00 00' }).returning('id')) as Array<{ id: string }>;
      ids.script = row?.id as string;
      await db('contacts').insert({ organization_id: ids.script, first_name: CONTACT_NAME, last_name: 'Quote"s', email: 'xss@script.example' });
    },
  });
  const account = w.emulator.org.create('Account', { Name: SCRIPT_NAME, BillingCity: 'Lyon', Phone: '+33 4 72 00 00 00', PRM_Sync__c: true, PRM_Partner_Status__c: 'Reseller, Active' });
  ids.scriptAccount = account.id as string;
  w.emulator.org.create('Contact', { AccountId: ids.scriptAccount, FirstName: CONTACT_NAME, LastName: 'Quote"s', Email: 'XSS@script.example' });
  w.emulator.org.create('Contact', { AccountId: ids.scriptAccount, FirstName: 'No', LastName: 'Email' });
});
after(() => w.close());

const db = () => w.database.db;
const decisionOf = async (prmId: string) => (await db()('wizard_org_decisions').where({ prm_id: prmId }).first()) as { decision: string; sf_id: string | null; origin: string } | undefined;

test(`the wizard is behind the admin login (${databaseLabel()})`, async () => {
  const { Client } = await import('./helpers.ts');
  const stranger = new Client(w.app);
  for (const url of ['/wizard', '/wizard/organizations', '/wizard/contacts', '/wizard/review', '/wizard/confirm', '/wizard/progress.json']) {
    const response = await stranger.get(url);
    assert.equal(response.statusCode, 302, url);
    assert.match(String(response.headers.location), /^\/login\?next=/);
  }
});

test('Preparation: checklist, counts on both sides, master system saved through the settings service', async () => {
  const page = await w.client.get('/wizard');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /data-check="connection" data-state="ok"/);
  assert.match(page.body, /data-check="metadata" data-state="ok"/);
  assert.match(page.body, /data-check="accounts" data-state="pending"/, 'accounts not read before Refresh Data');
  assert.match(page.body, /Get Started/);
  assert.match(page.body, /<link rel="stylesheet" href="\/wizard\/assets\/wizard.css">/);

  const saved = await w.client.post('/wizard/master-system', { masterSystem: 'prm', version: '0' }, { csrfFrom: '/wizard' });
  assert.equal(saved.statusCode, 303);
  const settings = await db()('settings').first();
  const stored = typeof settings.document === 'string' ? JSON.parse(settings.document) : settings.document;
  assert.equal(stored.organizations.masterSystem, 'prm');
  assert.equal(stored.contacts.masterSystem, 'prm');
  assert.match(alerts((await w.client.get('/wizard')).body).join(' '), /Master system saved: where both sides hold a value, the PRM wins/);
  const stale = await w.client.post('/wizard/master-system', { masterSystem: 'salesforce', version: '0' }, { csrfFrom: '/wizard' });
  assert.equal(stale.statusCode, 303);
  assert.match(alerts((await w.client.get('/wizard')).body).join(' '), /changed since you loaded them/);
  await w.client.post('/wizard/master-system', { masterSystem: 'salesforce', version: '1' }, { csrfFrom: '/wizard' });

  const css = await w.client.get('/wizard/assets/wizard.css');
  assert.equal(css.statusCode, 200);
  assert.match(String(css.headers['content-type']), /text\/css/);
  assert.equal((await w.client.get('/wizard/assets/..%2Fenvironment.ts')).statusCode, 400);
});

test('a running task shows its progress on every wizard page, which reloads itself; a dead one is reported', async () => {
  // As if another replica were refreshing: a running task with a fresh heartbeat.
  const id = '00000000-0000-4000-8000-00000000feed';
  await db()('wizard_tasks').insert({ id, kind: 'refresh', status: 'running', phase: 'Reading flagged Salesforce accounts', done: 500, total: 2000, started_by: 'other@admin', heartbeat_at: new Date() });
  for (const url of ['/wizard', '/wizard/organizations', '/wizard/contacts', '/wizard/review', '/wizard/confirm']) {
    const page = await w.client.get(url);
    assert.match(page.body, /<meta http-equiv="refresh" content="3">/, url);
    assert.match(page.body, /data-wizard-progress/, url);
    assert.match(page.body, /<progress class="wz-progress" max="100" value="25" data-progress-bar>/, url);
    assert.match(page.body, /Reading flagged Salesforce accounts/, url);
    assert.match(page.body, /<script src="\/wizard\/assets\/wizard-progress.js" defer><\/script>/, url);
  }
  assert.deepEqual(JSON.parse((await w.client.get('/wizard/progress.json')).body), { running: true, kind: 'refresh', label: 'Refresh Data', phase: 'Reading flagged Salesforce accounts', done: 500, total: 2000, percent: 25 });
  await w.client.post('/wizard/refresh', { return: '/wizard' }, { csrfFrom: '/wizard' });
  assert.match(alerts((await w.client.get('/wizard')).body).join(' '), /Refresh Data is already running/);
  // Its process died: no heartbeat for minutes.
  await db()('wizard_tasks').where({ id }).update({ heartbeat_at: new Date(Date.now() - 10 * 60_000) });
  const after = await w.client.get('/wizard');
  assert.doesNotMatch(after.body, /http-equiv="refresh"/);
  assert.match(after.body, /The last Refresh Data failed: Interrupted/);
  assert.deepEqual(JSON.parse((await w.client.get('/wizard/progress.json')).body), { running: false });
  const script = await w.client.get('/wizard/assets/wizard-progress.js');
  assert.match(String(script.headers['content-type']), /javascript/);
});

test('Refresh Data runs in the background, then the pages show the data it read', async () => {
  const started = await w.client.post('/wizard/refresh', { return: '/wizard/organizations' }, { csrfFrom: '/wizard' });
  assert.equal(started.statusCode, 303);
  assert.equal(started.headers.location, '/wizard/organizations');
  await w.waitForTasks();
  const page = await w.client.get('/wizard/organizations');
  assert.doesNotMatch(page.body, /http-equiv="refresh"/);
  assert.match(page.body, /Salesforce data read 20\d\d-/);
  const preparation = await w.client.get('/wizard');
  assert.match(preparation.body, /data-check="accounts" data-state="ok"/);
  const again = await w.client.post('/wizard/refresh', { return: 'https://evil.example/' }, { csrfFrom: '/wizard' });
  assert.equal(again.headers.location, '/wizard', 'a foreign return address is replaced');
  await w.waitForTasks();
});

test('Organizations: suggestions with scores and reasons, pre-selected links, names escaped', async () => {
  const page = await w.client.get('/wizard/organizations');
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes(ESCAPED), 'the organization and account names are HTML-escaped');
  assert.ok(!page.body.includes('<script>alert'), 'no markup from data reaches the page');
  const scriptDecision = await decisionOf(ids.script);
  assert.deepEqual([scriptDecision?.decision, scriptDecision?.sf_id, scriptDecision?.origin], ['link', ids.scriptAccount, 'preselected']);
  const section = page.body.slice(page.body.indexOf(`id="org-${ids.script}"`));
  assert.match(section, /data-suggestion="[^"]+"/);
  assert.match(section, /wz-reason">✓ Name</);
  assert.match(section, /Same phone number/);
  assert.match(section, />Linked</);
  const counts = Object.fromEntries([...page.body.matchAll(/data-count="(\w+)">[^<]*<strong>(\d+)<\/strong>/g)].map((m) => [m[1], Number(m[2])]));
  assert.ok((counts.link ?? 0) >= 10, JSON.stringify(counts));

  const filtered = await w.client.get('/wizard/organizations?q=pwned&decision=link&score=above');
  assert.match(filtered.body, new RegExp(`id="org-${ids.script}"`));
  assert.equal([...filtered.body.matchAll(/data-org="/g)].length, 1);
  const none = await w.client.get('/wizard/organizations?score=none');
  assert.doesNotMatch(none.body, new RegExp(`id="org-${ids.script}"`));
  assert.equal((await w.client.get('/wizard/organizations?decision=bogus')).statusCode, 400);
});

test('every organization action is saved and can be changed until applied', async () => {
  const undecided = (await db()('organizations as o')
    .leftJoin('wizard_org_decisions as d', 'd.prm_id', 'o.id')
    .where((q) => q.whereNull('d.decision').orWhere('d.decision', 'undecided'))
    .whereIn('o.status', ['active', 'prospective'])
    .orderBy('o.name')
    .select('o.id', 'o.name')) as Array<{ id: string; name: string }>;
  assert.ok(undecided.length >= 3, 'the demo data leaves organizations without a clear match');
  const [first, second, third] = undecided as [{ id: string; name: string }, { id: string; name: string }, { id: string; name: string }];
  const decide = (form: Record<string, string>) => w.client.post('/wizard/organizations/decide', { return: '/wizard/organizations?decision=undecided', ...form }, { csrfFrom: '/wizard/organizations' });

  const create = await decide({ prmId: first.id, decision: 'create_new' });
  assert.equal(create.statusCode, 303);
  assert.equal(create.headers.location, `/wizard/organizations?decision=undecided#org-${first.id}`);
  assert.equal((await decisionOf(first.id))?.decision, 'create_new');
  assert.equal((await decide({ prmId: second.id, decision: 'dont_sync' })).statusCode, 303);
  assert.equal((await decisionOf(second.id))?.decision, 'dont_sync');
  await decide({ prmId: second.id, decision: 'undecided' });
  assert.equal((await decisionOf(second.id))?.decision, 'undecided');

  // Select Other: the server-side search finds accounts by a misspelt name, and Link saves the choice.
  const freeAccount = (await db()('wizard_sf_accounts as a').whereNotExists(db()('wizard_org_decisions as d').select(db().raw('1')).where('d.decision', 'link').whereRaw('d.sf_id = a.sf_id')).orderBy('a.name').first()) as { sf_id: string; name: string };
  assert.ok(freeAccount, 'a flagged account nobody chose');
  const typo = freeAccount.name.replace(/^(\w)(\w)/, '$2$1');
  const select = await w.client.get(`/wizard/organizations/${third.id}/select?q=${encodeURIComponent(typo)}&return=${encodeURIComponent('/wizard/organizations')}`);
  assert.equal(select.statusCode, 200);
  assert.match(select.body, new RegExp(`data-hit="${freeAccount.sf_id}"`));
  const defaultSearch = await w.client.get(`/wizard/organizations/${third.id}/select`);
  assert.match(defaultSearch.body, /Select another Salesforce account/);
  const linked = await w.client.post('/wizard/organizations/decide', { prmId: third.id, decision: 'link', sfId: freeAccount.sf_id, return: '/wizard/organizations' }, { csrfFrom: `/wizard/organizations/${third.id}/select` });
  assert.equal(linked.headers.location, `/wizard/organizations#org-${third.id}`);
  assert.deepEqual(await decisionOf(third.id), { ...(await decisionOf(third.id)), decision: 'link', sf_id: freeAccount.sf_id, origin: 'admin' });
  const page = await w.client.get('/wizard/organizations');
  assert.match(page.body, new RegExp(`data-chosen="${freeAccount.sf_id}"`));

  // The same account for another organization is refused with the holder's name.
  const refused = await decide({ prmId: second.id, decision: 'link', sfId: freeAccount.sf_id });
  assert.equal(refused.statusCode, 303);
  assert.match(alerts((await w.client.get('/wizard/organizations')).body).join(' '), /already chosen for/);
  assert.equal((await decisionOf(second.id))?.decision, 'undecided');
  assert.equal((await decide({ prmId: second.id, decision: 'link' })).statusCode, 303, 'link without an account');
  assert.match(alerts((await w.client.get('/wizard/organizations')).body).join(' '), /Choose the Salesforce account/);
  assert.equal((await decide({ prmId: second.id, decision: 'link', sfId: 'not an id' })).statusCode, 400);
});

test('flagged accounts without counterpart: Create in PRM and Don’t Sync', async () => {
  const page = await w.client.get('/wizard/organizations?view=accounts');
  assert.match(page.body, /data-tab="accounts"[^>]*>Salesforce accounts without a counterpart/);
  const accounts = [...page.body.matchAll(/data-account="(\w+)" data-decision="undecided"/g)].map((m) => m[1] as string);
  assert.ok(accounts.length >= 2, 'the demo org has Salesforce-only partners');
  const [one, two] = accounts as [string, string];
  const post = (sfId: string, decision: string) => w.client.post('/wizard/accounts/decide', { sfId, decision, return: '/wizard/organizations?view=accounts' }, { csrfFrom: '/wizard/organizations?view=accounts' });
  assert.equal((await post(one, 'create_in_prm')).headers.location, `/wizard/organizations?view=accounts#account-${one}`);
  assert.equal((await post(two, 'dont_sync')).statusCode, 303);
  const stored = await db()('wizard_account_decisions').whereIn('sf_id', [one, two]).orderBy('decision');
  assert.deepEqual(stored.map((row: { decision: string }) => row.decision), ['create_in_prm', 'dont_sync']);
  await post(two, 'undecided');
  assert.equal((await db()('wizard_account_decisions').where({ sf_id: two }).first()).decision, 'undecided');
  await post(two, 'dont_sync');
});

test('Contacts: email matches per linked organization, not syncable ones listed, decisions saved, names escaped', async () => {
  const all = await w.client.get('/wizard/contacts');
  assert.equal(all.statusCode, 200);
  assert.match(all.body, /Email match/);
  const page = await w.client.get('/wizard/contacts?q=pwned');
  assert.equal([...page.body.matchAll(/data-pair="/g)].length, 1);
  assert.match(page.body, /data-kind="no_email"/);
  assert.match(page.body, /No email: not syncable/);
  assert.ok(page.body.includes('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;'), 'contact names are escaped');
  assert.ok(!page.body.includes('<img src=x'), 'no markup from data');
  const prmContact = (await db()('contacts').where({ organization_id: ids.script }).first()) as { id: string };
  assert.match(page.body, new RegExp(`data-contact="prm:${prmContact.id}" data-kind="match" data-decision="link"`));
  const saved = await w.client.post('/wizard/contacts/decide', { side: 'prm', recordId: prmContact.id, decision: 'dont_sync', return: '/wizard/contacts?q=pwned' }, { csrfFrom: '/wizard/contacts' });
  assert.equal(saved.headers.location, `/wizard/contacts?q=pwned#contact-prm-${prmContact.id}`);
  assert.equal((await db()('wizard_contact_decisions').where({ side: 'prm', record_id: prmContact.id }).first()).decision, 'dont_sync');
  await w.client.post('/wizard/contacts/decide', { side: 'prm', recordId: prmContact.id, decision: 'link', return: '/wizard/contacts' }, { csrfFrom: '/wizard/contacts' });
  assert.equal((await db()('wizard_contact_decisions').where({ side: 'prm', record_id: prmContact.id }).first()).decision, 'link');
  const wrong = await w.client.post('/wizard/contacts/decide', { side: 'prm', recordId: prmContact.id, decision: 'create', return: '/wizard/contacts' }, { csrfFrom: '/wizard/contacts' });
  assert.equal(wrong.statusCode, 303);
  assert.match(alerts((await w.client.get('/wizard/contacts')).body).join(' '), /not a choice/);
});

test('Review: field by field, PRM value, Salesforce value, merged value and the rule', async () => {
  const page = await w.client.get('/wizard/review');
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes(ESCAPED));
  assert.match(page.body, /data-field="name"/);
  assert.match(page.body, /Non-empty wins: only (PRM|Salesforce) has a value/);
  assert.match(page.body, /Both have values: the master system \(Salesforce\) wins|Same on both sides/);
  const changes = await w.client.get('/wizard/review?changes=only');
  assert.equal(changes.statusCode, 200);
  assert.ok([...changes.body.matchAll(/data-field="/g)].length < [...page.body.matchAll(/data-field="/g)].length);
});

test('every wizard form refuses a missing or forged CSRF token and changes nothing', async () => {
  const before = await db()('wizard_org_decisions').orderBy('prm_id').select('prm_id', 'decision', 'sf_id');
  const forms: Array<[string, Record<string, string>]> = [
    ['/wizard/master-system', { masterSystem: 'prm', version: '2' }],
    ['/wizard/refresh', {}],
    ['/wizard/organizations/decide', { prmId: ids.script, decision: 'dont_sync' }],
    ['/wizard/accounts/decide', { sfId: ids.scriptAccount, decision: 'dont_sync' }],
    ['/wizard/contacts/decide', { side: 'salesforce', recordId: ids.scriptAccount, decision: 'dont_sync' }],
    ['/wizard/confirm', { undecidedOrganizations: 'create_new', undecidedAccounts: 'create_in_prm' }],
    ['/wizard/links/1/undo', {}],
  ];
  for (const [url, form] of forms) {
    for (const token of [undefined, 'forged']) {
      const response = await w.client.post(url, token ? { ...form, _csrf: token } : form, { csrf: false });
      assert.equal(response.statusCode, 403, `${url} with ${token ?? 'no'} token`);
      assert.match(response.body, /Form not accepted/);
    }
  }
  assert.deepEqual(await db()('wizard_org_decisions').orderBy('prm_id').select('prm_id', 'decision', 'sf_id'), before);
  assert.equal(await db()('wizard_tasks').where({ kind: 'apply' }).first(), undefined);
});

test('Confirm: apply in the background, progress, confirmation with counts, then undo', async () => {
  const form = await w.client.get('/wizard/confirm');
  assert.match(form.body, /data-apply-form/);
  // While an apply runs (here: one another replica started), the page shows it instead of the form.
  await db()('wizard_tasks').insert({ id: '00000000-0000-4000-8000-0000000a9971', kind: 'apply', status: 'running', phase: 'Linking organizations', done: 0, total: 10, started_by: 'other@admin', heartbeat_at: new Date() });
  const busy = await w.client.get('/wizard/confirm');
  assert.match(busy.body, /data-apply-running/);
  assert.doesNotMatch(busy.body, /data-apply-form/);
  const locked = await w.client.post('/wizard/organizations/decide', { prmId: ids.script, decision: 'dont_sync', return: '/wizard/organizations' }, { csrfFrom: '/wizard/organizations' });
  assert.equal(locked.statusCode, 303);
  assert.match(alerts((await w.client.get('/wizard/organizations')).body).join(' '), /being applied right now/);
  assert.equal((await decisionOf(ids.script))?.decision, 'link', 'decisions are locked while an apply runs');
  await db()('wizard_tasks').where({ id: '00000000-0000-4000-8000-0000000a9971' }).delete();
  const started = await w.client.post('/wizard/confirm', { undecidedOrganizations: 'dont_sync', undecidedAccounts: 'dont_sync' }, { csrfFrom: '/wizard/confirm' });
  assert.equal(started.statusCode, 303);
  assert.equal(started.headers.location, '/wizard/confirm');
  await w.waitForTasks();
  const done = await w.client.get('/wizard/confirm');
  assert.match(done.body, /data-apply-finished/);
  assert.match(done.body, /the wizard is complete and the scheduled sync has started/);
  const linkedCount = Number(/data-applied="organizationsLinked">(\d+)</.exec(done.body)?.[1]);
  assert.ok(linkedCount >= 10, `linked ${linkedCount}`);
  assert.ok(done.body.includes(ESCAPED));
  const state = await db()('integration_state').where({ key: 'wizard_completed_at' }).first();
  assert.ok(state, 'wizard_completed_at set');

  // The escaped partner is linked on both sides, and can be undone from the confirmation page.
  const link = await db()('sync_links').where({ object: 'organization', prm_id: ids.script }).first();
  assert.equal(link.sf_id, ids.scriptAccount);
  assert.equal((w.emulator.org.retrieve('Account', ids.scriptAccount) as Record<string, unknown>).PRM_Id__c, ids.script);
  const undo = await w.client.post(`/wizard/links/${link.id}/undo`, { return: '/wizard/confirm' }, { csrfFrom: '/wizard/confirm' });
  assert.equal(undo.headers.location, '/wizard/confirm');
  assert.match(alerts((await w.client.get('/wizard/confirm')).body).join(' '), /The link was undone/);
  assert.equal(await db()('sync_links').where({ id: link.id }).first(), undefined);
  assert.equal((w.emulator.org.retrieve('Account', ids.scriptAccount) as Record<string, unknown>).PRM_Id__c, null);
  const organizations = await w.client.get('/wizard/organizations');
  assert.match(organizations.body, new RegExp(`id="org-${ids.script}"`), 'the organization is back in the wizard');
  const again = await w.client.post(`/wizard/links/${link.id}/undo`, { return: 'https://evil.example' }, { csrfFrom: '/wizard/confirm' });
  assert.equal(again.headers.location, '/wizard/confirm');
  assert.match(alerts((await w.client.get('/wizard/confirm')).body).join(' '), /no link/);
});
