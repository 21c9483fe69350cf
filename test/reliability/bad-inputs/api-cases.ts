// Bad inputs to the PRM REST API (/api/v1). Each case is a request and its expected outcome: refused with
// a status, a code and a message naming the field and what to do (and nothing stored changes), or stored
// exactly as sent (read back the same; nothing else changes; escaped where a console page shows it).
import assert from 'node:assert/strict';
import { assertUnchanged, htmlEscaped, snapshot, type CaseGroup, type NamedCase } from './catalogue.ts';
import { openConsoleWorld, PRM_TABLES, type ApiRequest, type ConsoleWorld, type WorldIds } from './console-world.ts';

type Expectation =
  | { refused: number; code: string; message: RegExp }
  | { stored: 200 | 201; fields: Record<string, unknown>; page?: 'organizations' | 'contacts' | 'deals' };

export interface ApiCase extends NamedCase {
  input: (ids: WorldIds) => ApiRequest;
  expect: Expectation;
}

const refused = (status: number, code: string, message: RegExp): Expectation => ({ refused: status, code, message });
const created = (fields: Record<string, unknown>, page?: 'organizations' | 'contacts' | 'deals'): Expectation => ({ stored: 201, fields, page });
const changed = (fields: Record<string, unknown>): Expectation => ({ stored: 200, fields });

const post = (url: string, body: unknown): ApiRequest => ({ method: 'POST', url, body });
const patch = (url: string, body: unknown): ApiRequest => ({ method: 'PATCH', url, body });
const get = (url: string): ApiRequest => ({ method: 'GET', url });
const raw = (url: string, contentType: string | undefined, payload: string | Buffer): ApiRequest => ({ method: 'POST', url, raw: { contentType, payload } });

const ORGS = '/api/v1/organizations';
const partner = (name: string, extra: Record<string, unknown> = {}) => ({ kind: 'partner', name, ...extra });
const contactOf = (ids: WorldIds, extra: Record<string, unknown>) => ({ organization_id: ids.organization, last_name: 'Lee', ...extra });
const dealOf = (ids: WorldIds, extra: Record<string, unknown>) => ({ organization_id: ids.organization, owner_contact_id: ids.user, name: 'Deal', stage: 'Prospecting', ...extra });
const MISSING = '00000000-0000-4000-8000-000000000000';
const invalid = (field: string, problem: string) => refused(400, 'VALIDATION_FAILED', new RegExp(`${field.replace(/\./g, '\\.')}: ${problem}`));
const notStorable = (field: string) => invalid(field, 'must not contain the NUL character \\(U\\+0000\\)');
const utf8Body = (bytes: number[]) => Buffer.concat([Buffer.from('{"kind":"partner","name":"Caf'), Buffer.from(bytes), Buffer.from('"}')]);

const RTL_NAME = '🚀 شركة الاختبار (بيروت) ‏Ünïcødé 𝔘 🇩🇪';
const SCRIPT_NAME = '<script>alert(1)</script> {{constructor.name}} & "Partners"';

export const API_CASES: readonly ApiCase[] = [
  // Over-long text: refused naming the field and its limit.
  { name: 'organization name of 256 characters', input: () => post(ORGS, partner('x'.repeat(256))), expect: invalid('name', 'must be at most 255 characters long') },
  { name: 'phone of 41 characters', input: () => post(ORGS, partner('P', { phone: '1'.repeat(41) })), expect: invalid('phone', 'must be at most 40 characters long') },
  { name: 'contact last name of 101 characters', input: (ids) => post('/api/v1/contacts', contactOf(ids, { last_name: 'L'.repeat(101) })), expect: invalid('last_name', 'must be at most 100 characters long') },
  { name: 'custom value of 10,001 characters', input: (ids) => patch(`${ORGS}/${ids.organization}`, { custom: { notes: 'n'.repeat(10_001) } }), expect: invalid('custom.notes', 'must be at most 10000 characters long') },
  { name: 'deal stage of 101 characters', input: (ids) => post('/api/v1/deals', dealOf(ids, { stage: 's'.repeat(101) })), expect: invalid('stage', 'must be at most 100 characters long') },
  { name: '256 emojis are 256 characters: too long', input: () => post(ORGS, partner('😀'.repeat(256))), expect: invalid('name', 'must be at most 255 characters long') },
  { name: '255 emojis are 255 characters: stored', input: () => post(ORGS, partner('😀'.repeat(255))), expect: created({ name: '😀'.repeat(255) }) },
  // Emails.
  { name: 'email without an @', input: (ids) => post('/api/v1/contacts', contactOf(ids, { email: 'not-an-email' })), expect: invalid('email', 'must be a valid email address') },
  { name: 'email with a space', input: (ids) => post('/api/v1/contacts', contactOf(ids, { email: 'jane doe@acme.example' })), expect: invalid('email', 'must be a valid email address') },
  { name: 'email of 255 characters', input: (ids) => post('/api/v1/contacts', contactOf(ids, { email: `${'a'.repeat(243)}@acme.example` })), expect: invalid('email', 'must be at most 254 characters long') },
  { name: 'email in mixed case with spaces: stored trimmed and lower-cased', input: (ids) => post('/api/v1/contacts', contactOf(ids, { email: '  Mixed.Case@Acme.Example ' })), expect: created({ email: 'mixed.case@acme.example' }) },
  // Enum values: unknown and wrong-case values are refused listing the allowed ones.
  { name: 'unknown organization kind', input: () => post(ORGS, { kind: 'reseller', name: 'R' }), expect: invalid('kind', 'must be one of: partner, distributor') },
  { name: 'wrong-case organization kind', input: () => post(ORGS, { kind: 'Partner', name: 'R' }), expect: invalid('kind', 'must be one of: partner, distributor') },
  { name: 'wrong-case organization status', input: (ids) => patch(`${ORGS}/${ids.organization}`, { status: 'Active' }), expect: invalid('status', 'must be one of: active, prospective, inactive') },
  { name: 'unknown group module', input: () => post('/api/v1/groups', { name: 'G', kind: 'partner', modules: ['deal-registration'] }), expect: invalid('modules.0', 'must be one of: .*deal_registration') },
  { name: 'wrong-case list filter', input: () => get(`${ORGS}?kind=Distributor`), expect: invalid('kind', 'must be one of: partner, distributor') },
  // Unicode that must come back exactly.
  { name: 'emojis and right-to-left text in a name', input: () => post(ORGS, partner(RTL_NAME, { billing_city: 'القاهرة' })), expect: created({ name: RTL_NAME, billing_city: 'القاهرة' }, 'organizations') },
  { name: 'emojis and accents in contact names and custom values', input: (ids) => post('/api/v1/contacts', contactOf(ids, { first_name: 'José 李 👩‍💻', last_name: 'Ñúñez', custom: { motto: '¡Olé! 🎉' } })), expect: created({ first_name: 'José 李 👩‍💻', last_name: 'Ñúñez', custom: { motto: '¡Olé! 🎉' } }) },
  { name: 'control characters other than NUL are kept', input: () => post(ORGS, partner('Bell\u0007 Tab\tMark\u001f')), expect: created({ name: 'Bell\u0007 Tab\tMark\u001f' }) },
  // NUL and broken Unicode: PostgreSQL cannot store them; refused naming the field (they used to be 500s).
  { name: 'NUL in an organization name', input: () => post(ORGS, partner('Acme\u0000Corp')), expect: notStorable('name') },
  { name: 'NUL in a custom field value', input: (ids) => patch(`${ORGS}/${ids.organization}`, { custom: { notes: 'a\u0000b' } }), expect: notStorable('custom.notes') },
  { name: 'NUL in a deal name', input: (ids) => post('/api/v1/deals', dealOf(ids, { name: 'Deal\u0000' })), expect: notStorable('name') },
  { name: 'NUL in a search parameter', input: () => get(`${ORGS}?q=ac%00me`), expect: notStorable('q') },
  { name: 'NUL in an email filter', input: () => get('/api/v1/contacts?email=jane%00@acme.example'), expect: notStorable('email') },
  { name: 'unpaired surrogate escape in JSON', input: () => raw(ORGS, 'application/json', '{"kind":"partner","name":"A\\ud800B"}'), expect: invalid('name', 'must be valid Unicode text: it contains an unpaired surrogate') },
  { name: 'broken UTF-8 bytes (0xFF 0xFE)', input: () => raw(ORGS, 'application/json', utf8Body([0xff, 0xfe])), expect: refused(400, 'INVALID_UTF8', /not valid UTF-8: encode the JSON text as UTF-8/) },
  { name: 'overlong UTF-8 encoding of "/" (0xC0 0xAF)', input: () => raw(ORGS, 'application/json', utf8Body([0xc0, 0xaf])), expect: refused(400, 'INVALID_UTF8', /not valid UTF-8/) },
  { name: 'truncated UTF-8 sequence (0xE2 0x82)', input: () => raw(ORGS, 'application/json', utf8Body([0xe2, 0x82])), expect: refused(400, 'INVALID_UTF8', /not valid UTF-8/) },
  // Bodies that are too big, not JSON, or of the wrong type.
  { name: 'a 2 MB JSON body', input: () => post(ORGS, partner('Big', { custom: { blob: 'x'.repeat(2_000_000) } })), expect: refused(413, 'FST_ERR_CTP_BODY_TOO_LARGE', /larger than 1 MiB: send fewer or shorter values/) },
  { name: '101 custom fields', input: () => post(ORGS, partner('Many', { custom: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, i])) })), expect: invalid('custom', 'must not have more than 100 properties') },
  { name: '100,000 nested arrays', input: () => raw(ORGS, 'application/json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`), expect: invalid('\\(body\\)', 'must be object') },
  { name: 'JSON cut off half-way', input: () => raw(ORGS, 'application/json', '{"kind":"partner","name":'), expect: refused(400, 'FST_ERR_CTP_INVALID_JSON_BODY', /not valid JSON/) },
  { name: '__proto__ key (prototype poisoning)', input: () => raw(ORGS, 'application/json', '{"kind":"partner","name":"P","__proto__":{"admin":true}}'), expect: refused(400, 'FST_ERR_CTP_INVALID_JSON_BODY', /reserved keys __proto__/) },
  { name: 'text/plain body', input: () => raw(ORGS, 'text/plain', 'kind=partner'), expect: refused(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', /Content-Type text\/plain is not accepted: send the body as JSON/) },
  { name: 'XML body', input: () => raw(ORGS, 'application/xml', '<organization/>'), expect: refused(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', /application\/xml is not accepted/) },
  { name: 'form-encoded body', input: () => raw(ORGS, 'application/x-www-form-urlencoded', 'kind=partner&name=X'), expect: refused(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', /x-www-form-urlencoded is not accepted/) },
  { name: 'unknown property', input: () => post(ORGS, partner('P', { colour: 'blue' })), expect: invalid('colour', 'is not allowed \\(unknown property\\)') },
  { name: 'number where text belongs', input: () => post(ORGS, { kind: 'partner', name: 42 }), expect: invalid('name', 'must be string') },
  // Dates and amounts.
  { name: 'close date 2026-02-30', input: (ids) => post('/api/v1/deals', dealOf(ids, { close_date: '2026-02-30' })), expect: invalid('close_date', 'must be a date as YYYY-MM-DD') },
  { name: 'close date 30/01/2026', input: (ids) => post('/api/v1/deals', dealOf(ids, { close_date: '30/01/2026' })), expect: invalid('close_date', 'must be a date as YYYY-MM-DD') },
  { name: 'close date with a time', input: (ids) => post('/api/v1/deals', dealOf(ids, { close_date: '2026-01-05T10:00:00Z' })), expect: invalid('close_date', 'must be a date as YYYY-MM-DD') },
  { name: 'negative amount (a credit) is stored', input: (ids) => post('/api/v1/deals', dealOf(ids, { amount: -250.5 })), expect: created({ amount: -250.5 }) },
  { name: 'amount of 10^16', input: (ids) => post('/api/v1/deals', dealOf(ids, { amount: 1e16 })), expect: invalid('amount', 'must be at most 1000000000000000') },
  { name: 'amount as text', input: (ids) => post('/api/v1/deals', dealOf(ids, { amount: '12.50' })), expect: invalid('amount', 'must be number or null') },
  // Markup and template syntax: stored verbatim, escaped on the record page.
  { name: '<script> and {{ }} in an organization name', input: () => post(ORGS, partner(SCRIPT_NAME)), expect: created({ name: SCRIPT_NAME }, 'organizations') },
  { name: '<img onerror> in a deal name', input: (ids) => post('/api/v1/deals', dealOf(ids, { name: '<img src=x onerror=alert(1)> {{#each this}}' })), expect: created({ name: '<img src=x onerror=alert(1)> {{#each this}}' }, 'deals') },
  // Unknown ids and stale versions.
  { name: 'unknown organization id', input: () => patch(`${ORGS}/${MISSING}`, { name: 'Y' }), expect: refused(404, 'NOT_FOUND', new RegExp(`Organization ${MISSING} does not exist`)) },
  { name: 'malformed organization id', input: () => get(`${ORGS}/not-a-uuid`), expect: invalid('id', 'must be a UUID') },
  { name: 'contact for an unknown organization', input: () => post('/api/v1/contacts', { organization_id: MISSING, last_name: 'Lee' }), expect: refused(400, 'INVALID_REFERENCE', new RegExp(`organization_id: Organization ${MISSING} does not exist or is deleted`)) },
  { name: 'deal owned by an unknown contact', input: (ids) => post('/api/v1/deals', dealOf(ids, { owner_contact_id: MISSING })), expect: refused(400, 'INVALID_REFERENCE', /owner_contact_id: Contact .* does not exist/) },
  { name: 'deal owned by a contact who is not a user', input: (ids) => post('/api/v1/deals', dealOf(ids, { owner_contact_id: ids.contact })), expect: refused(409, 'NOT_A_USER', /owner_contact_id: contact .* is not a user/) },
  { name: 'stale version on an update', input: (ids) => patch(`${ORGS}/${ids.organization}`, { version: 1, name: 'Too Late' }), expect: refused(409, 'STALE_VERSION', /is at version 2, not 1: it changed since you read it\. Read it again and reapply your change/) },
  { name: 'stale version on a delete', input: (ids) => ({ method: 'DELETE', url: `/api/v1/contacts/${ids.contact}?version=7` }), expect: refused(409, 'STALE_VERSION', /is at version 1, not 7/) },
  { name: 'stale version on a promotion', input: (ids) => post(`/api/v1/contacts/${ids.contact}/promote`, { version: 3 }), expect: refused(409, 'STALE_VERSION', /is at version 1, not 3/) },
  { name: 'a current version is accepted', input: (ids) => patch(`${ORGS}/${ids.organization}`, { version: 2, website: 'https://acme-base.example' }), expect: changed({ website: 'https://acme-base.example', version: 3 }) },
];

const pick = (record: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(keys.map((key) => [key, record[key]]));
const collectionOf = (url: string) => /^\/api\/v1\/([a-z]+)/.exec(url)?.[1] as string;

async function runApiCase(world: ConsoleWorld, testCase: ApiCase): Promise<void> {
  const db = world.ui.database.db;
  const request = testCase.input(world.ids);
  const before = await snapshot(db, PRM_TABLES);
  const response = await world.api(request);
  const expect = testCase.expect;
  if ('refused' in expect) {
    assert.equal(response.statusCode, expect.refused, response.body);
    const error = response.json().error as { code: string; message: string };
    assert.equal(error.code, expect.code, response.body);
    assert.match(error.message, expect.message);
    assertUnchanged(before, await snapshot(db, PRM_TABLES), testCase.name);
    return;
  }
  assert.equal(response.statusCode, expect.stored, response.body);
  const record = response.json() as Record<string, unknown> & { id: string };
  const keys = Object.keys(expect.fields);
  assert.deepEqual(pick(record, keys), expect.fields, 'the reply carries the values exactly');
  const reread = await world.api(get(`/api/v1/${collectionOf(request.url)}/${record.id}`));
  assert.deepEqual(pick(reread.json(), keys), expect.fields, 'read back exactly');
  assertUnchanged(before, await snapshot(db, PRM_TABLES), testCase.name, { except: new Set([record.id]), allowNew: expect.stored === 201 });
  if (expect.page) {
    const page = await world.client.get(`/records/${expect.page}/${record.id}`);
    assert.equal(page.statusCode, 200);
    const name = String(record.name);
    assert.ok(page.body.includes(htmlEscaped(name)), `the record page shows ${name} escaped`);
    if (/[<>]/.test(name)) assert.ok(!page.body.includes(name), 'the raw markup never reaches the page');
  }
}

export const apiGroup: CaseGroup<ConsoleWorld, ApiCase> = {
  area: 'PRM REST API (/api/v1)',
  cases: API_CASES,
  open: () => openConsoleWorld({ connected: false }),
  run: runApiCase,
  app: (world) => world.ui.app,
  close: (world) => world.close(),
};
