// The console's pure pieces: CSV formula safety, pagination, the run chart, lockout, password hashing,
// the settings and mappings forms, the metadata check and "New Field" validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { afterFailedLogin, isLocked } from '../../middleware/auth/lockout.ts';
import { hashPassword, verifyPassword } from '../../middleware/auth/password.ts';
import { checkState, startAuthorization, authorizeUrl } from '../../middleware/auth/salesforce-oauth.ts';
import { defaultSettings } from '../../middleware/settings/defaults.ts';
import { formulaSafe } from '../../middleware/web/csv-safe.ts';
import { safeLocalPath } from '../../middleware/web/forms.ts';
import { mappingsFromForm, rowProblems, valueMapFromForm } from '../../middleware/web/mappings-form.ts';
import { checkMetadata, requiredMetadata } from '../../middleware/web/metadata-check.ts';
import { newFieldFromForm } from '../../middleware/web/new-field.ts';
import { paginate, visiblePages } from '../../middleware/web/pagination.ts';
import { niceMax, runChart } from '../../middleware/web/run-chart.ts';
import { changedPaths, formFromSettings, settingsFromForm } from '../../middleware/web/settings-form.ts';
import { compareFields } from '../../middleware/web/record-view.ts';
import { columnField } from '../../middleware/sync/fields.ts';
import { routesFromTree } from './helpers.ts';

test('formulaSafe quotes every cell a spreadsheet would evaluate, and nothing else', () => {
  for (const dangerous of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx', '=HYPERLINK("http://evil","x")']) assert.equal(formulaSafe(dangerous), `'${dangerous}`);
  for (const harmless of ['Acme', 'a=b', '1-2', ' =x', '']) assert.equal(formulaSafe(harmless), harmless);
  assert.equal(formulaSafe(null), '');
  assert.equal(formulaSafe(new Date('2026-01-02T03:04:05Z')), '2026-01-02T03:04:05.000Z');
  assert.equal(formulaSafe({ a: 1 }), '{"a":1}');
});

test('pagination keeps the filters, clamps the page and shows gaps', () => {
  const page = paginate('/log', { level: 'error', code: '', page: '3' }, 1000, 7, 50);
  assert.equal(page.pageCount, 20);
  assert.equal(page.offset, 300);
  assert.equal(page.from, 301);
  assert.equal(page.to, 350);
  assert.equal(page.previous, '/log?level=error&page=6');
  assert.equal(page.links[0]?.href, '/log?level=error');
  assert.deepEqual(page.links.map((l) => l.number), [1, 5, 6, 7, 8, 9, 20]);
  assert.deepEqual(page.gapsAfter, [1, 9]);
  assert.equal(paginate('/log', {}, 0, 5, 50).page, 1);
  assert.equal(paginate('/log', {}, 0, 1, 50).from, 0);
  assert.equal(paginate('/log', {}, 120, 99, 50).page, 3);
  assert.deepEqual(visiblePages(1, 1), [1]);
});

test('the run chart scales bars and the API call line to round maxima, inside the plot', () => {
  assert.equal(niceMax(0), 1);
  assert.equal(niceMax(7), 10);
  assert.equal(niceMax(120), 200);
  assert.equal(niceMax(4000), 5000);
  const chart = runChart([
    { startedAt: new Date('2026-11-22T10:00:00Z'), job: 'accounts_contacts', status: 'succeeded', recordsSynced: 80, errors: 5, apiCalls: 12 },
    { startedAt: new Date('2026-11-22T10:05:00Z'), job: 'accounts_contacts', status: 'failed', recordsSynced: 0, errors: 1, apiCalls: 3 },
  ]);
  assert.equal(chart.empty, false);
  assert.equal(chart.bars.length, 4);
  const [records] = chart.bars;
  assert.ok(records && records.y >= chart.plot.top && records.y + records.height <= chart.plot.bottom + 0.01);
  assert.match(records?.title ?? '', /80 records synced/);
  assert.equal(chart.leftTicks.at(-1)?.label, '100');
  assert.equal(chart.rightTicks.at(-1)?.label, '20');
  assert.equal(chart.apiLine.split(' ').length, 2);
  assert.equal(runChart([]).empty, true);
});

test('lockout: the fifth wrong password locks for 15 minutes; an expired lock starts a fresh count', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  let state = { failedLogins: 0, lockedUntil: null as Date | null };
  for (let i = 0; i < 4; i += 1) state = afterFailedLogin(state, now);
  assert.equal(state.failedLogins, 4);
  assert.equal(isLocked(state, now), false);
  state = afterFailedLogin(state, now);
  assert.equal(isLocked(state, now), true);
  assert.equal(state.lockedUntil?.toISOString(), '2026-11-22T12:15:00.000Z');
  const later = new Date('2026-11-22T12:16:00Z');
  assert.equal(isLocked(state, later), false);
  assert.deepEqual(afterFailedLogin(state, later), { failedLogins: 1, lockedUntil: null });
});

test('scrypt hashes verify the right password only, and carry their parameters', async () => {
  const hash = await hashPassword('s3cret passphrase!');
  assert.match(hash, /^scrypt\$32768\$8\$1\$/);
  assert.equal(await verifyPassword('s3cret passphrase!', hash), true);
  assert.equal(await verifyPassword('s3cret passphrase?', hash), false);
  assert.equal(await verifyPassword('x', 'not-a-hash'), false);
  assert.notEqual(await hashPassword('same'), await hashPassword('same'));
});

test('OAuth state: only the pending state of this session, within 10 minutes, passes', () => {
  const pending = startAuthorization('https://login.salesforce.com', 1_000);
  const url = new URL(authorizeUrl(pending, 'client-key', 'https://prm.example/settings/connection/oauth/callback'));
  assert.equal(url.searchParams.get('state'), pending.state);
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(url.searchParams.get('response_type'), 'code');
  assert.deepEqual(checkState(pending, pending.state, 2_000), { ok: true });
  assert.equal(checkState(pending, `${pending.state.slice(0, -1)}x`, 2_000).ok, false);
  assert.equal(checkState(pending, 'short', 2_000).ok, false);
  assert.equal(checkState(undefined, pending.state, 2_000).ok, false);
  assert.equal(checkState(pending, pending.state, 1_000 + 11 * 60_000).ok, false);
});

test('safeLocalPath never leaves the site', () => {
  assert.equal(safeLocalPath('/log?level=error'), '/log?level=error');
  for (const bad of ['//evil.example', 'https://evil.example', '/\\evil', 'log', undefined, '/x\r\nSet-Cookie: a=b']) assert.equal(safeLocalPath(bad), '/sync');
});

test('the settings form round-trips the settings and keeps the mappings', () => {
  const settings = defaultSettings();
  const form = formFromSettings(settings);
  assert.equal(form['organizations.statusValues.partner.active'], 'Reseller, Active');
  assert.equal(form.enabled, 'on');
  assert.deepEqual(settingsFromForm(settings, form), settings);
  const changed = settingsFromForm(settings, { ...form, enabled: undefined, 'schedules.incrementalSync': '15', 'contacts.syncFlagField': '' }) as typeof settings;
  assert.equal(changed.enabled, false);
  assert.equal(changed.schedules.incrementalSync, 15);
  assert.equal(changed.contacts.syncFlagField, null);
  assert.deepEqual(changed.organizations.mappings, settings.organizations.mappings);
  assert.deepEqual(changedPaths(settings, changed), ['contacts.syncFlagField', 'enabled', 'schedules.incrementalSync']);
});

test('the mapping table form: blank and removed rows dropped, value maps kept, problems back on their rows', () => {
  const previous = [{ prmField: 'status', sfField: 'Type', direction: 'both' as const, firstSyncOnly: false, valueMap: [{ prm: 'active', sf: 'Customer' }] }];
  const parsed = mappingsFromForm(
    {
      object: 'organizations',
      prmField_0: 'status', sfField_0: 'Type', direction_0: 'both',
      prmField_1: 'name', sfField_1: 'Name', direction_1: 'to_prm', firstSyncOnly_1: 'on', remove_1: 'on',
      prmField_2: '', sfField_2: '',
      prmField_3: 'phone', sfField_3: 'Fax', direction_3: 'both', firstSyncOnly_3: 'on',
    },
    previous,
  );
  assert.deepEqual(parsed.formRow, [0, 3]);
  assert.deepEqual(parsed.mappings[0]?.valueMap, previous[0]?.valueMap);
  assert.deepEqual(parsed.mappings[1], { prmField: 'phone', sfField: 'Fax', direction: 'both', firstSyncOnly: true });
  const { byRow, general } = rowProblems('organizations', [
    { path: 'organizations.mappings[1].sfField', code: 'FIELD_MISSING', message: 'no Fax' },
    { path: 'organizations.mappings', code: 'REQUIRED_FIELD_UNMAPPED', message: 'map the id' },
    { path: 'contacts.mappings[0].sfField', code: 'FIELD_MISSING', message: 'other object' },
  ], parsed.formRow);
  assert.equal(byRow.get('3.sfField'), 'no Fax');
  assert.deepEqual(general, ['map the id', 'other object']);
  assert.deepEqual(valueMapFromForm({ sf_0: 'Customer', prm_0: 'active', sf_1: 'Other', prm_1: '', sf_2: '', prm_2: 'x' }), [{ prm: 'active', sf: 'Customer' }]);
});

test('the metadata check names missing fields and record types exactly, and finds case slips', () => {
  const settings = defaultSettings();
  settings.contacts.direction = 'disabled';
  settings.deals.direction = 'disabled';
  const required = requiredMetadata(settings);
  assert.ok(required.some((f) => f.name === 'PRM_Id__c' && f.object === 'Account'));
  assert.ok(!required.some((f) => f.object === 'Contact'));
  const fields = required.filter((f) => f.kind === 'field').map((f) => ({ name: f.name === 'PRM_Sync__c' ? 'prm_sync__c' : f.name, type: 'string' })).filter((f) => f.name !== 'PRM_Sys_URL__c');
  const findings = checkMetadata(settings, { Account: { name: 'Account', fields, recordTypeInfos: [{ name: 'Partner', developerName: 'Partner_Account', available: true }] } }, new Set(['PRM_Integration']));
  const status = (name: string) => findings.find((f) => f.name === name);
  assert.equal(status('PRM_Sys_URL__c')?.status, 'missing');
  assert.match(status('PRM_Sync__c')?.detail ?? '', /spells it prm_sync__c/);
  assert.equal(status('Partner_Account')?.status, 'present');
  assert.equal(status('Distributor_Account')?.status, 'missing');
  assert.equal(status('PRM_Integration')?.status, 'present');
  assert.equal(status('PRM_Admin')?.status, 'missing');
  assert.equal(checkMetadata(settings, {}, null).find((f) => f.name === 'PRM_Admin')?.status, 'unknown');
});

test('New Field: names, labels, lengths and picklist values are checked before Salesforce is called', () => {
  assert.deepEqual(newFieldFromForm('Account', { label: 'Region', name: 'PRM_Region__c', type: 'Text', length: '80' }), { field: { object: 'Account', name: 'PRM_Region', label: 'Region', type: 'Text', length: 80 } });
  assert.match(JSON.stringify(newFieldFromForm('Account', { label: 'x', name: 'bad__name', type: 'Text' })), /not a valid API name/);
  assert.match(JSON.stringify(newFieldFromForm('Account', { label: 'x', name: '9lives', type: 'Text' })), /not a valid API name/);
  assert.match(JSON.stringify(newFieldFromForm('Account', { label: 'x', name: 'Size', type: 'Text', length: '300' })), /length from 1 to 255/);
  assert.match(JSON.stringify(newFieldFromForm('Account', { label: 'x', name: 'Tier', type: 'Picklist', values: '\n \n' })), /at least one value/);
  const picklist = newFieldFromForm('Contact', { label: 'Tier', name: 'Tier', type: 'Picklist', values: 'Gold\r\nSilver\nGold' });
  assert.deepEqual('field' in picklist ? picklist.field.picklistValues : null, ['Gold', 'Silver']);
});

test('record comparison uses canonical values: differences, and the side that changed since the snapshot', () => {
  const fields = [columnField('name', 'name', 'Name'), columnField('email', 'email', 'Email', { sfType: 'email' }), columnField('phone', 'phone', 'Phone')];
  const rows = compareFields(fields, { name: 'Acme', email: 'a@x.example', phone: '1' }, { Name: 'Acme Inc', Email: 'A@X.example', Phone: '1' }, { name: 'Acme', email: 'a@x.example', phone: '1' });
  assert.deepEqual(rows.map((r) => [r.key, r.differs, r.changedOn]), [['name', true, 'Salesforce'], ['email', false, ''], ['phone', false, '']]);
  const unread = compareFields(fields, { name: 'Acme' }, undefined, {});
  assert.equal(unread[0]?.salesforce, 'not read');
  assert.equal(unread[0]?.differs, false);
});

test('routesFromTree rebuilds full paths from Fastify\'s route tree', () => {
  const tree = ['├── /login (POST)', '├── /settings (POST)', '│   ├── /connection/app (POST)', '│   └── /mappings (POST)', '│       └── /values (POST)', '└── /sync/run (POST)', '    └── -full (POST)'].join('\n');
  assert.deepEqual(routesFromTree(tree), ['/login', '/settings', '/settings/connection/app', '/settings/mappings', '/settings/mappings/values', '/sync/run', '/sync/run-full']);
});

test('templates escape everything: the only triple-stash is the layout\'s page slot, and no inline style or script', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const path = await import('node:path');
  const { VIEWS_DIR } = await import('../../middleware/web/render.ts');
  const files = [...readdirSync(VIEWS_DIR).map((f) => path.join(VIEWS_DIR, f)), ...readdirSync(path.join(VIEWS_DIR, 'partials')).map((f) => path.join(VIEWS_DIR, 'partials', f))].filter((f) => f.endsWith('.hbs'));
  assert.ok(files.length > 10);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const triples = text.match(/\{\{\{[^}]*\}\}\}/g) ?? [];
    assert.deepEqual(triples, path.basename(file) === 'layout.hbs' ? ['{{{body}}}'] : [], file);
    assert.doesNotMatch(text, /style="|<script|on(click|load|error|submit)=/i, file);
  }
});
