// Bad inputs to the admin console's forms and searches: settings, field mappings, login, the wizard's
// search and decisions, and the record page's search and actions, through a logged-in browser-like client
// (CSRF tokens included) against an emulated org. A bad value gets a clear message (on the page, or as the
// flash message after the redirect) and changes nothing; quotes and backslashes in search terms (SOQL
// literals included) find what they name.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { defaultSettings } from '../../../middleware/settings/defaults.ts';
import { formFromSettings } from '../../../middleware/web/settings-form.ts';
import { alerts, Client } from '../../web/helpers.ts';
import { assertUnchanged, htmlEscaped, snapshot, type CaseGroup, type NamedCase } from './catalogue.ts';
import { openConsoleWorld, PRM_TABLES, type ConsoleWorld } from './console-world.ts';

type Ids = ConsoleWorld['ids'] & { obrien: string; notCached: string };
interface World extends ConsoleWorld {
  ids: Ids;
}

type FormRequest = { get: string } | { post: string; form: Record<string, string>; csrfFrom: string; anonymous?: true };

interface Expectation {
  status: number;
  /** Shown on the page answered, or (after a 303) as the flash message on the page redirected to. */
  message: RegExp;
  /** Search hits: names the page must (and must not) list, in the markup of its kind of hit. */
  hits?: { kind: keyof typeof HIT_MARKUP; lists: readonly string[]; omits?: readonly string[] };
}

/** How each page shows one hit's name (escaped). */
const HIT_MARKUP = {
  candidate: (name: string) => `<tr><td>${name}</td>`,
  wizardHit: (name: string) => `<strong>${name}</strong>`,
  wizardRow: (name: string) => `<div class="wz-org__name">${name}</div>`,
};

export interface ConsoleCase extends NamedCase {
  input: (ids: Ids) => FormRequest;
  expect: Expectation;
}

const SF_ACCOUNTS = ["O'Brien Partners", "Back\\'slash Ltd", '100%_ Partners', '100 Partners', '1000 Partners'];

/** The settings form as the page renders it for the defaults (version 0), with some fields changed. */
function settingsForm(changes: Record<string, string>, version = '0'): FormRequest {
  const form = Object.fromEntries(Object.entries({ ...formFromSettings(defaultSettings()), ...changes }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return { post: '/settings', form: { ...form, version }, csrfFrom: '/settings' };
}

/** The organizations mapping table with the defaults, one row replaced. */
function mappingsForm(row: { prmField: string; sfField: string; direction?: string }): FormRequest {
  const form: Record<string, string> = { object: 'organizations', version: '0' };
  defaultSettings().organizations.mappings.forEach((mapping, index) => {
    const value = index === 0 ? { ...mapping, ...row } : mapping;
    Object.assign(form, { [`prmField_${index}`]: value.prmField, [`sfField_${index}`]: value.sfField, [`direction_${index}`]: value.direction ?? 'both' });
  });
  return { post: '/settings/mappings', form, csrfFrom: '/settings/mappings?object=organizations' };
}

const login = (email: string, password = 'wrong password'): FormRequest => ({ post: '/login', form: { email, password }, csrfFrom: '/login', anonymous: true });
const select = (ids: Ids, q: string): FormRequest => ({ get: `/wizard/organizations/${ids.obrien}/select?q=${encodeURIComponent(q)}` });
const recordSearch = (ids: Ids, q: string): FormRequest => ({ get: `/records/organizations/${ids.obrien}?q=${encodeURIComponent(q)}` });
const decide = (form: Record<string, string>): FormRequest => ({ post: '/wizard/organizations/decide', form, csrfFrom: '/wizard/organizations' });
const refusedForm = (field: string, problem: string) => ({ status: 400, message: new RegExp(`${field.replace(/\./g, '\\.')}: ${problem}`) });
const notSaved = (message: RegExp) => ({ status: 422, message });
const MISSING = '00000000-0000-4000-8000-000000000000';

export const CONSOLE_CASES: readonly ConsoleCase[] = [
  // Settings: validated against the live describe, shown next to the field, nothing saved.
  { name: 'settings: unknown picklist value for a partner status', input: () => settingsForm({ 'organizations.statusValues.partner.active': 'Reseller, Gold' }), expect: notSaved(/organizations\.statusValues\.partner\.active: &#x27;Reseller, Gold&#x27; is not a value of Account\.PRM_Partner_Status__c; its values are/) },
  { name: 'settings: wrong-case picklist value', input: () => settingsForm({ 'organizations.statusValues.partner.active': 'reseller, active' }), expect: notSaved(/&#x27;reseller, active&#x27; differs only in case from the Salesforce value &#x27;Reseller, Active&#x27;; picklist values are case-sensitive/) },
  { name: 'settings: unknown direction', input: () => settingsForm({ 'contacts.direction': 'sideways' }), expect: notSaved(/contacts\.direction: must be one of: push_and_pull, push, pull, disabled/) },
  { name: 'settings: wrong-case direction', input: () => settingsForm({ 'organizations.direction': 'Push' }), expect: notSaved(/organizations\.direction: must be one of/) },
  { name: 'settings: interval not offered', input: () => settingsForm({ 'schedules.incrementalSync': '7' }), expect: notSaved(/schedules\.incrementalSync: must be one of/) },
  { name: 'settings: field name in the wrong case', input: () => settingsForm({ 'organizations.syncFlagField': 'prm_sync__c' }), expect: notSaved(/&#x27;prm_sync__c&#x27; differs only in case from the Salesforce field Account\.PRM_Sync__c/) },
  { name: "settings: SOQL in a field name (PRM_Sync__c' OR Name != ')", input: () => settingsForm({ 'organizations.syncFlagField': "PRM_Sync__c' OR Name != '" }), expect: notSaved(/organizations\.syncFlagField: must match the pattern/) },
  { name: 'settings: NUL in a picklist value', input: () => settingsForm({ 'organizations.statusValues.partner.active': 'Reseller\u0000, Active' }), expect: refusedForm('organizations.statusValues.partner.active', 'must not contain the NUL character') },
  { name: 'settings: 300-character value', input: () => settingsForm({ 'organizations.statusField': 'F'.repeat(300) }), expect: refusedForm('organizations.statusField', 'must be at most 255 characters long') },
  { name: 'settings: stale version', input: () => settingsForm({ 'schedules.incrementalSync': '15' }, '4'), expect: { status: 409, message: /The settings changed since you loaded them \(now version 0; you edited version 4\)\. Reload them and apply your change again/ } },
  // Field mappings.
  { name: 'mappings: Salesforce field that does not exist', input: () => mappingsForm({ prmField: 'name', sfField: 'Nmae' }), expect: notSaved(/Account has no field &#x27;Nmae&#x27;/) },
  { name: 'mappings: Salesforce field in the wrong case', input: () => mappingsForm({ prmField: 'name', sfField: 'NAME' }), expect: notSaved(/&#x27;NAME&#x27; differs only in case from the Salesforce field Account\.Name/) },
  { name: 'mappings: unknown PRM field', input: () => mappingsForm({ prmField: 'colour', sfField: 'Name' }), expect: notSaved(/colour/) },
  { name: 'mappings: unknown direction', input: () => mappingsForm({ prmField: 'name', sfField: 'Name', direction: 'sideways' }), expect: notSaved(/direction: must be one of: both, to_salesforce, to_prm/) },
  // Login.
  { name: 'login: NUL in the email', input: () => login('admin\u0000@prm-sync.test'), expect: refusedForm('email', 'must not contain the NUL character') },
  { name: 'login: 5,000-character email', input: () => login('a'.repeat(5000)), expect: refusedForm('email', 'must be at most 254 characters long') },
  { name: "login: SQL in the email (' OR '1'='1)", input: () => login("' OR '1'='1", "' OR '1'='1"), expect: { status: 401, message: /The email or password is not correct/ } },
  // Wizard: Select Other search (PostgreSQL trigram search), list filter and decisions.
  { name: "wizard search: O'Brien", input: (ids) => select(ids, "O'Brien"), expect: { status: 200, message: /Select other/, hits: { kind: 'wizardHit', lists: ["O'Brien Partners"], omits: ['100 Partners'] } } },
  { name: "wizard search: a name with a backslash and a quote (Back\\'slash)", input: (ids) => select(ids, "Back\\'slash"), expect: { status: 200, message: /Select other/, hits: { kind: 'wizardHit', lists: ["Back\\'slash Ltd"], omits: ["O'Brien Partners"] } } },
  { name: "wizard search: nothing but punctuation (\\') finds nothing, cleanly", input: (ids) => select(ids, "\\'"), expect: { status: 200, message: /No flagged account matches “\\&#x27;”/, hits: { kind: 'wizardHit', lists: [], omits: ["O'Brien Partners", "Back\\'slash Ltd"] } } },
  { name: 'wizard search: NUL', input: (ids) => select(ids, 'Acme\u0000'), expect: refusedForm('q', 'must not contain the NUL character') },
  { name: "wizard list filter: O'Brien", input: () => ({ get: `/wizard/organizations?q=${encodeURIComponent("O'Brien")}` }), expect: { status: 200, message: /Organizations/, hits: { kind: 'wizardRow', lists: ["O'Brien Partners"], omits: ['Acme Base Partners'] } } },
  { name: 'wizard decision for an organization that does not exist', input: () => decide({ prmId: MISSING, decision: 'dont_sync' }), expect: { status: 303, message: /That PRM organization no longer exists/ } },
  { name: 'wizard decision that is not offered', input: (ids) => decide({ prmId: ids.obrien, decision: 'merge' }), expect: refusedForm('decision', 'must be one of: link, create_new, dont_sync, undecided') },
  { name: 'wizard link to an account not read by Refresh Data', input: (ids) => decide({ prmId: ids.obrien, decision: 'link', sfId: ids.notCached }), expect: { status: 303, message: /is not among the flagged accounts read by the last Refresh Data/ } },
  // Record page: relink search (a SOQL LIKE literal) and record actions.
  { name: "record search: O'Brien", input: (ids) => recordSearch(ids, "O'Brien"), expect: { status: 200, message: /Link to another Salesforce Account/, hits: { kind: 'candidate', lists: ["O'Brien Partners"], omits: ['100 Partners'] } } },
  { name: "record search: a backslash and a quote (\\')", input: (ids) => recordSearch(ids, "\\'"), expect: { status: 200, message: /Link to another Salesforce Account/, hits: { kind: 'candidate', lists: ["Back\\'slash Ltd"], omits: ["O'Brien Partners"] } } },
  { name: 'record search: % and _ match themselves', input: (ids) => recordSearch(ids, '100%_'), expect: { status: 200, message: /Link to another Salesforce Account/, hits: { kind: 'candidate', lists: ['100%_ Partners'], omits: ['1000 Partners', '100 Partners'] } } },
  { name: 'record search: markup in the term is escaped', input: (ids) => recordSearch(ids, '<script>alert(1)</script>'), expect: { status: 200, message: /value="&lt;script&gt;alert\(1\)&lt;\/script&gt;"/ } },
  { name: 'record relink to a malformed Salesforce id', input: (ids) => ({ post: `/records/organizations/${ids.obrien}/relink`, form: { sfId: "001' OR Id != '" }, csrfFrom: `/records/organizations/${ids.obrien}` }), expect: refusedForm('sfId', 'must match the pattern') },
  { name: 'Sync Now on a record that does not exist', input: () => ({ post: `/records/organizations/${MISSING}/sync`, form: {}, csrfFrom: '/log' }), expect: { status: 303, message: new RegExp(`${MISSING}`) } },
  { name: 'log filter with an unknown level', input: () => ({ get: '/log?level=fatal' }), expect: refusedForm('level', 'must be one of: , info, warning, error') },
];

/** What changes when a console form is accepted: nothing of this may change when one is refused. */
const CONSOLE_TABLES = [...PRM_TABLES, 'settings', 'settings_audit', 'field_mappings', 'wizard_org_decisions', 'sync_links', 'admin_users'];

async function send(world: World, request: FormRequest): Promise<{ response: LightMyRequestResponse; page: string }> {
  const client = 'anonymous' in request ? new Client(world.ui.app) : world.client;
  const response = 'get' in request ? await client.get(request.get) : await client.post(request.post, request.form, { csrfFrom: request.csrfFrom });
  const location = response.headers.location;
  // After a redirect the message is the flash on the page redirected to.
  const page = response.statusCode === 303 && typeof location === 'string' ? alerts((await client.get(location)).body).join(' | ') : response.body;
  return { response, page };
}

async function runConsoleCase(world: World, testCase: ConsoleCase): Promise<void> {
  const db = world.ui.database.db;
  const before = await snapshot(db, CONSOLE_TABLES);
  const { response, page } = await send(world, testCase.input(world.ids));
  assert.equal(response.statusCode, testCase.expect.status, page.slice(0, 2000));
  assert.match(page, testCase.expect.message);
  const hits = testCase.expect.hits;
  if (hits) {
    const markup = HIT_MARKUP[hits.kind];
    for (const name of hits.lists) assert.ok(page.includes(markup(htmlEscaped(name))), `lists ${name}`);
    for (const name of hits.omits ?? []) assert.ok(!page.includes(markup(htmlEscaped(name))), `does not list ${name}`);
  }
  assertUnchanged(before, await snapshot(db, CONSOLE_TABLES), testCase.name);
}

async function openWorld(): Promise<World> {
  const world = await openConsoleWorld({ connected: true });
  const org = world.emulator?.org;
  assert.ok(org);
  for (const name of SF_ACCOUNTS) assert.ok(org.create('Account', { Name: name, BillingCity: 'Cork', PRM_Sync__c: true, PRM_Partner_Status__c: 'Reseller, Active' }).success);
  const notCached = org.create('Account', { Name: 'Unflagged Ltd' }).id as string;
  const obrien = await world.api({ method: 'POST', url: '/api/v1/organizations', body: { kind: 'partner', name: "O'Brien Partners", billing_city: 'Cork' } });
  assert.equal(obrien.statusCode, 201);
  // Refresh Data reads the flagged accounts into the wizard's cache, which its search and decisions use.
  assert.equal((await world.client.post('/wizard/refresh', {}, { csrfFrom: '/wizard' })).statusCode, 303);
  for (let waited = 0; JSON.parse((await world.client.get('/wizard/progress.json')).body).running; waited += 50) {
    assert.ok(waited < 60_000, 'Refresh Data finishes');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(Number((await world.ui.database.db('wizard_sf_accounts').count<Array<{ n: number }>>({ n: '*' }))[0]?.n), SF_ACCOUNTS.length);
  return { ...world, ids: { ...world.ids, obrien: obrien.json().id, notCached } };
}

export const consoleGroup: CaseGroup<World, ConsoleCase> = {
  area: 'admin console forms and searches',
  cases: CONSOLE_CASES,
  open: openWorld,
  run: runConsoleCase,
  app: (world) => world.ui.app,
  close: (world) => world.close(),
};
