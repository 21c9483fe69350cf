// The org core without HTTP: ids, schema from describes + force-app, DML validation with Salesforce's
// error codes, the recycle bin, upsert matching, rollback and the SystemModstamp clock.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { canonicalId, IdFactory, idSuffix } from './core/ids.ts';
import { startEmulator, type RunningEmulator } from './index.ts';
import type { Org } from './store/org.ts';

describe('record ids', () => {
  test('the 18-char suffix encodes the case of the 15-char id', () => {
    assert.equal(idSuffix('a0D30000001n7Pi'), 'EAI');
    assert.equal(canonicalId('a0D30000001n7Pi'), 'a0D30000001n7PiEAI');
    assert.equal(idSuffix('001000000000000'), 'AAA');
  });

  test('an 18-char id gets its case back from the suffix, whatever case it arrives in', () => {
    assert.equal(canonicalId('A0D30000001N7PIEAI'), 'a0D30000001n7PiEAI');
    assert.equal(canonicalId('a0d30000001n7pieai'), 'a0D30000001n7PiEAI');
    assert.equal(canonicalId('not-an-id'), undefined);
    assert.equal(canonicalId('001000000000000ZZZ'), undefined, 'the suffix claims capitals where the id has digits');
  });

  test('generated ids carry the key prefix and a valid checksum, and never repeat', () => {
    const factory = new IdFactory();
    const ids = new Set(Array.from({ length: 1000 }, () => factory.next('001')));
    assert.equal(ids.size, 1000);
    for (const id of ids) {
      assert.match(id, /^001[A-Za-z0-9]{15}$/);
      assert.equal(canonicalId(id.slice(0, 15)), id);
    }
  });
});

describe('the org core', () => {
  let emulator: RunningEmulator;
  let org: Org;

  before(async () => {
    emulator = await startEmulator({ size: 0, forceApp: false });
    org = emulator.org;
    org.upsertCustomField('Account', { fullName: 'Account.Ext_Id__c', label: 'Ext Id', type: 'Text', length: 20, externalId: true, unique: true });
    org.upsertCustomField('Account', { fullName: 'Legacy_Code__c', label: 'Legacy Code', type: 'Text', length: 10, externalId: true });
    org.upsertCustomField('Account', { fullName: 'Tier__c', label: 'Tier', type: 'Picklist', picklist: { restricted: true, values: [{ value: 'Gold' }, { value: 'Silver', default: true }] } });
    org.upsertCustomField('Account', { fullName: 'Score__c', label: 'Score', type: 'Number', precision: 5, scale: 2 });
    org.upsertCustomField('Account', { fullName: 'Synced__c', label: 'Synced', type: 'Checkbox', defaultValue: 'true' });
  });
  after(() => emulator.close());

  test('custom fields appear in describe exactly as Salesforce reports them', () => {
    const fields = org.describe('Account')?.fields as Array<Record<string, unknown>>;
    const ext = fields.find((f) => f.name === 'Ext_Id__c');
    assert.deepEqual(
      { type: ext?.type, length: ext?.length, byteLength: ext?.byteLength, externalId: ext?.externalId, unique: ext?.unique, idLookup: ext?.idLookup, custom: ext?.custom, nillable: ext?.nillable, soapType: ext?.soapType },
      { type: 'string', length: 20, byteLength: 60, externalId: true, unique: true, idLookup: true, custom: true, nillable: true, soapType: 'xsd:string' },
    );
    const tier = fields.find((f) => f.name === 'Tier__c');
    assert.equal(tier?.restrictedPicklist, true);
    assert.deepEqual(tier?.picklistValues, [
      { active: true, defaultValue: false, label: 'Gold', validFor: null, value: 'Gold' },
      { active: true, defaultValue: true, label: 'Silver', validFor: null, value: 'Silver' },
    ]);
    const synced = fields.find((f) => f.name === 'Synced__c');
    assert.deepEqual([synced?.type, synced?.defaultValue, synced?.nillable, synced?.defaultedOnCreate], ['boolean', true, false, true]);
    assert.equal(Object.keys(ext ?? {}).length, Object.keys(fields.find((f) => f.name === 'Name') ?? {}).length, 'same key set as recorded standard fields');
    assert.equal(fields.some((f) => f.name === 'Primary_Contact__c'), false, 'the hand-made field of the recording is dropped');
  });

  test('the standard objects come from the recorded describes', () => {
    const contact = org.describe('contact');
    assert.equal(contact?.name, 'Contact');
    assert.equal(contact?.keyPrefix, '003');
    const lastName = (contact?.fields as Array<Record<string, unknown>>).find((f) => f.name === 'LastName');
    assert.deepEqual([lastName?.length, lastName?.nillable, lastName?.createable], [80, false, true]);
    assert.equal(org.resolveObjectName('opportunitycontactrole'), 'OpportunityContactRole');
    assert.equal(org.describe('User')?.keyPrefix, '005');
    assert.ok((org.describe('User')?.fields as unknown[]).length > 100, 'User filled from the trimmed recording');
    assert.equal(org.resolveObjectName('NoSuchThing__c'), undefined);
  });

  test('creates with defaults, system fields and derived fields', () => {
    const result = org.create('Account', { Name: 'Acme GmbH', Ext_Id__c: 'A-1' });
    assert.equal(result.success, true);
    const row = org.retrieve('Account', result.id as string);
    assert.equal(row?.Tier__c, 'Silver', 'picklist default');
    assert.equal(row?.Synced__c, true, 'checkbox default');
    assert.equal(row?.OwnerId, emulator.integrationUser.id);
    assert.match(String(row?.CreatedDate), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    assert.equal(row?.IsDeleted, false);
    const contact = org.create('Contact', { FirstName: 'Pat', LastName: 'Lee', AccountId: result.id });
    assert.equal(org.retrieve('Contact', contact.id as string)?.Name, 'Pat Lee');
    const opp = org.create('Opportunity', { Name: 'Deal', StageName: 'Closed Won', CloseDate: '2026-12-01', Amount: 100 });
    const oppRow = org.retrieve('Opportunity', opp.id as string);
    assert.deepEqual([oppRow?.IsClosed, oppRow?.IsWon, oppRow?.Probability, oppRow?.ExpectedRevenue], [true, true, 100, 100]);
  });

  test('validation answers with Salesforce error codes', () => {
    const errorOf = (r: { errors: Array<{ statusCode: string }> }) => r.errors[0]?.statusCode;
    assert.equal(errorOf(org.create('Account', {})), 'REQUIRED_FIELD_MISSING');
    assert.deepEqual(org.create('Opportunity', { Name: 'x' }).errors[0]?.fields, ['StageName', 'CloseDate']);
    assert.equal(errorOf(org.create('Account', { Name: 'x'.repeat(256) })), 'STRING_TOO_LONG');
    assert.equal(errorOf(org.create('Account', { Name: 'x', Tier__c: 'Platinum' })), 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    assert.equal(errorOf(org.create('Contact', { LastName: 'x', Email: 'not an email' })), 'INVALID_EMAIL_ADDRESS');
    assert.equal(errorOf(org.create('Account', { Name: 'x', Nope__c: 1 })), 'INVALID_FIELD');
    assert.equal(errorOf(org.create('Account', { Name: 'x', IsDeleted: true })), 'INVALID_FIELD_FOR_INSERT_UPDATE');
    assert.equal(errorOf(org.create('Account', { Name: 'x', NumberOfEmployees: 'many' })), 'INVALID_TYPE_ON_FIELD_IN_RECORD');
    assert.equal(errorOf(org.create('Account', { Name: 'x', Score__c: 12345.6 })), 'NUMBER_OUTSIDE_VALID_RANGE');
    assert.equal(errorOf(org.create('Contact', { LastName: 'x', AccountId: 'garbage' })), 'MALFORMED_ID');
    assert.equal(errorOf(org.create('Contact', { LastName: 'x', AccountId: emulator.integrationUser.id })), 'FIELD_INTEGRITY_EXCEPTION');
    assert.equal(errorOf(org.create('Nope__c', {})), 'INVALID_TYPE');
    assert.equal(errorOf(org.update('Account', '001000000000000AAA', { Name: 'x' })), 'INVALID_CROSS_REFERENCE_KEY');
    assert.equal(org.create('Account', { Name: 'y', Score__c: '12.345' }).success, true, 'numeric strings (CSV) are accepted and rounded');
  });

  test('unique external ids refuse duplicates case-insensitively', () => {
    assert.equal(org.create('Account', { Name: 'One', Ext_Id__c: 'dup-1' }).success, true);
    const duplicate = org.create('Account', { Name: 'Two', Ext_Id__c: 'DUP-1' });
    assert.equal(duplicate.errors[0]?.statusCode, 'DUPLICATE_VALUE');
    assert.match(duplicate.errors[0]?.message ?? '', /^duplicate value found: Ext_Id__c duplicates value on record with id: 001/);
  });

  test('upsert creates, updates, and reports several matches of a non-unique external id', () => {
    const created = org.upsert('Account', 'Ext_Id__c', { Ext_Id__c: 'up-1', Name: 'First' });
    assert.deepEqual([created.success, created.created], [true, true]);
    const updated = org.upsert('Account', 'ext_id__c', { Ext_Id__c: 'UP-1', Name: 'Second' });
    assert.deepEqual([updated.id, updated.created], [created.id, false]);
    assert.equal(org.retrieve('Account', created.id as string)?.Name, 'Second');
    org.create('Account', { Name: 'L1', Legacy_Code__c: 'same' });
    org.create('Account', { Name: 'L2', Legacy_Code__c: 'same' });
    assert.equal(org.upsert('Account', 'Legacy_Code__c', { Legacy_Code__c: 'same', Name: 'x' }).errors[0]?.statusCode, 'DUPLICATE_EXTERNAL_ID');
    assert.equal(org.upsert('Account', 'Name', { Name: 'x' }).errors[0]?.statusCode, 'INVALID_FIELD');
  });

  test('a parent can be set through its external id', () => {
    const parent = org.create('Account', { Name: 'Parent', Ext_Id__c: 'parent-1' });
    const child = org.create('Contact', { LastName: 'Kid', Account: { Ext_Id__c: 'PARENT-1' } });
    assert.equal(org.retrieve('Contact', child.id as string)?.AccountId, parent.id);
    const viaColumn = org.create('Contact', { LastName: 'Kid2', 'Account.Ext_Id__c': 'parent-1' });
    assert.equal(org.retrieve('Contact', viaColumn.id as string)?.AccountId, parent.id);
    assert.equal(org.create('Contact', { LastName: 'Kid3', Account: { Ext_Id__c: 'nobody' } }).errors[0]?.statusCode, 'INVALID_FIELD');
  });

  test('delete goes to the recycle bin with its cascade, undelete brings all back', () => {
    const account = org.create('Account', { Name: 'Doomed' }).id as string;
    const contact = org.create('Contact', { LastName: 'Along', AccountId: account }).id as string;
    const opp = org.create('Opportunity', { Name: 'Gone', StageName: 'Prospecting', CloseDate: '2027-01-01', AccountId: account }).id as string;
    const role = org.create('OpportunityContactRole', { OpportunityId: opp, ContactId: contact, IsPrimary: true }).id as string;
    assert.equal(org.delete('Account', account).success, true);
    assert.equal(org.retrieve('Contact', contact), undefined);
    assert.equal(org.query(`SELECT Id FROM Contact WHERE Id = '${contact}'`).totalSize, 0);
    assert.equal(org.query(`SELECT Id, IsDeleted FROM OpportunityContactRole WHERE Id = '${role}'`, { includeDeleted: true }).records[0]?.IsDeleted, true);
    assert.equal(org.update('Account', account, { Name: 'x' }).errors[0]?.statusCode, 'ENTITY_IS_DELETED');
    assert.equal(org.delete('Account', account).errors[0]?.statusCode, 'ENTITY_IS_DELETED');
    assert.equal(org.undelete('Contact', contact).errors[0]?.statusCode, 'UNDELETE_FAILED', 'a cascaded child comes back with its parent');
    assert.equal(org.undelete('Account', account).success, true);
    assert.equal(org.retrieve('Contact', contact)?.IsDeleted, false);
    assert.equal(org.retrieve('OpportunityContactRole', role)?.IsDeleted, false);
    assert.equal(org.undelete('Account', account).errors[0]?.statusCode, 'UNDELETE_FAILED');
  });

  test('SystemModstamp strictly increases across the org and moves on every write', () => {
    const a = org.create('Account', { Name: 'Clock A' }).id as string;
    const b = org.create('Account', { Name: 'Clock B' }).id as string;
    const stamp = (id: string) => Date.parse(String(org.retrieve('Account', id)?.SystemModstamp).replace('+0000', 'Z'));
    assert.ok(stamp(b) > stamp(a));
    const before = stamp(a);
    org.update('Account', a, { Description: 'touched' });
    assert.ok(stamp(a) > stamp(b) && stamp(a) > before);
    assert.equal(org.retrieve('Account', a)?.LastModifiedById, emulator.integrationUser.id);
  });

  test('a rolled-back transaction leaves no trace, indexes included', () => {
    const before = org.query('SELECT COUNT() FROM Account').totalSize;
    org.atomically(
      () => [org.create('Account', { Name: 'Ghost', Ext_Id__c: 'ghost-1' }), org.create('Account', {})],
      (results) => results.every((r) => r.success),
    );
    assert.equal(org.query('SELECT COUNT() FROM Account').totalSize, before);
    assert.equal(org.create('Account', { Name: 'Real', Ext_Id__c: 'ghost-1' }).success, true, 'the rolled-back external id is free again');
    assert.equal(org.query(`SELECT COUNT() FROM Account WHERE Ext_Id__c = 'ghost-1'`).totalSize, 1);
  });

  test('record types are records and describe entries; invalid field definitions are refused', () => {
    const id = org.upsertRecordType({ sobjectType: 'Contact', developerName: 'Partner_Contact', label: 'Partner Contact', active: true });
    assert.match(id, /^012/);
    assert.equal(org.upsertRecordType({ sobjectType: 'Contact', developerName: 'Partner_Contact', label: 'Partner Contact!', active: true }), id);
    const infos = org.describe('Contact')?.recordTypeInfos as Array<Record<string, unknown>>;
    assert.deepEqual(infos.map((i) => i.developerName), ['Partner_Contact', 'Master']);
    assert.equal(org.query(`SELECT Name FROM RecordType WHERE SobjectType = 'Contact' AND DeveloperName = 'Partner_Contact'`).records[0]?.Name, 'Partner Contact!');
    const withType = org.create('Contact', { LastName: 'Typed', RecordTypeId: id });
    assert.equal(withType.success, true);
    assert.throws(() => org.upsertCustomField('Account', { fullName: 'Bad', label: 'Bad', type: 'Text', length: 10 }), /API name/);
    assert.throws(() => org.upsertCustomField('Account', { fullName: 'Long__c', label: 'Long', type: 'Text', length: 300 }), /Length/);
    assert.throws(() => org.upsertCustomField('Account', { fullName: 'Odd__c', label: 'Odd', type: 'Hologram' }), /not a valid value/);
  });
});

describe('the org as shipped', () => {
  test('loads our force-app custom fields and record types at start', async () => {
    const emulator = await startEmulator({ size: 5 });
    try {
      assert.deepEqual(emulator.schemaProblems, []);
      const fields = emulator.org.describe('Account')?.fields as Array<Record<string, unknown>>;
      const prmId = fields.find((f) => f.name === 'PRM_Id__c');
      assert.deepEqual([prmId?.type, prmId?.length, prmId?.externalId, prmId?.unique], ['string', 36, true, true]);
      assert.equal(fields.find((f) => f.name === 'PRM_Sync__c')?.type, 'boolean');
      const recordTypes = (emulator.org.describe('Account')?.recordTypeInfos as Array<{ developerName: string }>).map((r) => r.developerName);
      assert.ok(recordTypes.includes('Partner_Account') && recordTypes.includes('Distributor_Account'));
    } finally {
      await emulator.close();
    }
  });

  test('seed data is deterministic and realistic', async () => {
    const [one, two] = await Promise.all([startEmulator({ size: 200, seed: 42 }), startEmulator({ size: 200, seed: 42 })]);
    try {
      const names = (e: RunningEmulator) => e.org.query('SELECT Name, BillingCity, Website, Phone FROM Account ORDER BY Id').records.map((r) => [r.Name, r.BillingCity, r.Website, r.Phone].join('|'));
      assert.deepEqual(names(one), names(two));
      assert.equal(one.seeded.Account, 200);
      assert.ok(one.seeded.Contact > 150 && one.seeded.Opportunity > 40 && one.seeded.OpportunityContactRole > 0);
      assert.ok(names(one).some((n) => /\b(Inc\.?|LLC|GmbH|Ltd\.?|Corp\.?)\|/.test(n)), 'legal suffixes');
      const noEmail = one.org.query('SELECT COUNT() FROM Contact WHERE Email = null').totalSize;
      assert.ok(noEmail > 0, 'some contacts have no email');
      const flagged = one.org.query(`SELECT COUNT() FROM Account WHERE PRM_Sync__c = true AND PRM_Partner_Status__c != null`).totalSize;
      assert.ok(flagged > 10, 'some accounts are flagged with a partner status');
      const primary = one.org.query('SELECT COUNT() FROM OpportunityContactRole WHERE IsPrimary = true').totalSize;
      assert.ok(primary > 0);
      assert.ok(one.users.some((u) => u.username === 'integration@prm-sync.test' && u.password === 'emulator'));
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
