// SOQL over the in-memory store: field lists, parent paths, child subqueries, WHERE operators and
// literals, ORDER BY, LIMIT/OFFSET, COUNT, errors for what the emulator does not support, and the
// SystemModstamp cursor query on 300k rows.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SoqlError } from './contracts.ts';
import { startEmulator, type RunningEmulator } from './index.ts';
import type { Org } from './store/org.ts';
import type { Table } from './store/table.ts';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');

describe('SOQL', () => {
  let emulator: RunningEmulator;
  let org: Org;
  const ids: Record<string, string> = {};

  before(async () => {
    emulator = await startEmulator({ size: 0, forceApp: false, now: () => NOW });
    org = emulator.org;
    org.upsertCustomField('Account', { fullName: 'Regions__c', label: 'Regions', type: 'MultiselectPicklist', picklist: { restricted: false, values: [{ value: 'EMEA' }, { value: 'APAC' }, { value: 'AMER' }] } });
    org.upsertCustomField('Account', { fullName: 'Synced__c', label: 'Synced', type: 'Checkbox' });
    const make = (key: string, object: string, values: Record<string, unknown>) => {
      const result = org.create(object, values);
      assert.equal(result.success, true, JSON.stringify(result.errors));
      ids[key] = result.id as string;
    };
    make('acme', 'Account', { Name: 'Acme Inc', BillingCity: 'Berlin', NumberOfEmployees: 50, Regions__c: 'EMEA;APAC', Synced__c: true, Website: 'acme.example' });
    make('globex', 'Account', { Name: 'globex LLC', BillingCity: 'Paris', NumberOfEmployees: 500, Regions__c: 'AMER' });
    make('initech', 'Account', { Name: "O'Brien & Initech", NumberOfEmployees: null });
    make('pat', 'Contact', { FirstName: 'Pat', LastName: 'Lee', AccountId: ids.acme, Email: 'pat@acme.example' });
    make('sam', 'Contact', { FirstName: 'Sam', LastName: 'Kim', AccountId: ids.acme });
    make('deal', 'Opportunity', { Name: 'Acme deal', StageName: 'Prospecting', CloseDate: '2026-11-30', AccountId: ids.acme, Amount: 1000 });
    make('old', 'Opportunity', { Name: 'Old deal', StageName: 'Closed Lost', CloseDate: '2025-01-15', AccountId: ids.globex });
    make('role1', 'OpportunityContactRole', { OpportunityId: ids.deal, ContactId: ids.pat, IsPrimary: true });
    make('role2', 'OpportunityContactRole', { OpportunityId: ids.deal, ContactId: ids.sam, IsPrimary: false });
  });
  after(() => emulator.close());

  const names = (soql: string) => org.query(soql).records.map((r) => r.Name);
  const failsWith = (soql: string, code: SoqlError['errorCode'], message?: RegExp) => {
    assert.throws(() => org.query(soql), (error: unknown) => {
      assert.ok(error instanceof SoqlError, `expected a SoqlError for ${soql}`);
      assert.equal(error.errorCode, code, error.message);
      if (message) assert.match(error.message, message);
      return true;
    });
  };

  test('parent paths nest under the relationship name; missing parents are null', () => {
    const records = org.query('SELECT Name, Account.Name, Account.Owner.Email FROM Contact ORDER BY LastName').records;
    assert.deepEqual(records[0], {
      attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${ids.sam}` },
      Name: 'Sam Kim',
      Account: { attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ids.acme}` }, Name: 'Acme Inc', Owner: { attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${emulator.integrationUser.id}` }, Email: 'integration@prm-sync.test' } },
    });
    const orphan = org.create('Contact', { LastName: 'Alone' }).id as string;
    assert.equal(org.query(`SELECT Account.Name FROM Contact WHERE Id = '${orphan}'`).records[0]?.Account, null);
  });

  test('child subqueries come back as nested query results (or null)', () => {
    const records = org.query('SELECT Name, (SELECT ContactId, IsPrimary FROM OpportunityContactRoles WHERE IsPrimary = true) FROM Opportunity ORDER BY Name').records;
    assert.deepEqual(records[0]?.OpportunityContactRoles, {
      totalSize: 1,
      done: true,
      records: [{ attributes: { type: 'OpportunityContactRole', url: `/services/data/v62.0/sobjects/OpportunityContactRole/${ids.role1}` }, ContactId: ids.pat, IsPrimary: true }],
    });
    assert.equal(records[1]?.OpportunityContactRoles, null);
    const accounts = org.query(`SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName DESC LIMIT 1) FROM Account WHERE Id = '${ids.acme}'`).records;
    assert.deepEqual((accounts[0]?.Contacts as { records: Array<{ LastName: string }> }).records.map((r) => r.LastName), ['Lee']);
  });

  test('comparison operators on strings (case-insensitive), numbers, booleans and null', () => {
    assert.deepEqual(names("SELECT Name FROM Account WHERE Name = 'ACME INC'"), ['Acme Inc']);
    assert.deepEqual(names("SELECT Name FROM Account WHERE Name LIKE 'glo%'"), ['globex LLC']);
    assert.deepEqual(names("SELECT Name FROM Account WHERE Name LIKE '%\\'brien%'"), ["O'Brien & Initech"]);
    assert.deepEqual(names('SELECT Name FROM Account WHERE NumberOfEmployees > 50'), ['globex LLC']);
    assert.deepEqual(names('SELECT Name FROM Account WHERE NumberOfEmployees >= 50 ORDER BY Name'), ['Acme Inc', 'globex LLC']);
    assert.deepEqual(names('SELECT Name FROM Account WHERE NumberOfEmployees = null'), ["O'Brien & Initech"]);
    assert.deepEqual(names("SELECT Name FROM Account WHERE BillingCity != 'berlin' ORDER BY Name"), ['globex LLC', "O'Brien & Initech"]);
    assert.deepEqual(names('SELECT Name FROM Account WHERE Synced__c = true'), ['Acme Inc']);
    assert.deepEqual(names('SELECT Name FROM Account WHERE Synced__c = false ORDER BY Name'), ['globex LLC', "O'Brien & Initech"]);
    assert.deepEqual(names("SELECT Name FROM Account WHERE BillingCity IN ('Paris', 'Rome')"), ['globex LLC']);
    assert.deepEqual(names("SELECT Name FROM Account WHERE BillingCity NOT IN ('Paris') ORDER BY Name"), ['Acme Inc', "O'Brien & Initech"]);
    assert.deepEqual(names(`SELECT Name FROM Account WHERE Id = '${String(ids.acme).slice(0, 15)}'`), ['Acme Inc'], '15-char ids match');
  });

  test('AND, OR and NOT with parentheses; mixing AND and OR needs parentheses', () => {
    assert.deepEqual(names("SELECT Name FROM Account WHERE (BillingCity = 'Berlin' OR BillingCity = 'Paris') AND NOT NumberOfEmployees > 100"), ['Acme Inc']);
    assert.deepEqual(names("SELECT Name FROM Account WHERE NOT (BillingCity = 'Berlin' OR BillingCity = 'Paris')"), ["O'Brien & Initech"]);
    failsWith("SELECT Name FROM Account WHERE BillingCity = 'Berlin' AND Name = 'x' OR Name = 'y'", 'MALFORMED_QUERY');
  });

  test('INCLUDES and EXCLUDES on multi-select picklists', () => {
    assert.deepEqual(names("SELECT Name FROM Account WHERE Regions__c INCLUDES ('APAC')"), ['Acme Inc']);
    assert.deepEqual(names("SELECT Name FROM Account WHERE Regions__c INCLUDES ('EMEA;APAC', 'AMER') ORDER BY Name"), ['Acme Inc', 'globex LLC']);
    assert.deepEqual(names("SELECT Name FROM Account WHERE Regions__c EXCLUDES ('EMEA') ORDER BY Name"), ['globex LLC', "O'Brien & Initech"]);
  });

  test('date literals, dates and datetimes', () => {
    assert.deepEqual(names('SELECT Name FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:30'), ['Acme deal']);
    assert.deepEqual(names('SELECT Name FROM Opportunity WHERE CloseDate = LAST_YEAR'), ['Old deal']);
    assert.deepEqual(names('SELECT Name FROM Opportunity WHERE CloseDate < THIS_YEAR'), ['Old deal']);
    assert.deepEqual(names('SELECT Name FROM Opportunity WHERE CloseDate = THIS_MONTH'), ['Acme deal']);
    assert.deepEqual(names('SELECT Name FROM Opportunity WHERE CloseDate >= 2026-01-01'), ['Acme deal']);
    assert.equal(org.query('SELECT Id FROM Account WHERE CreatedDate = TODAY').totalSize, 3);
    assert.equal(org.query('SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:2').totalSize, 3);
    assert.equal(org.query('SELECT Id FROM Account WHERE CreatedDate > 2026-11-22T09:00:00Z').totalSize, 3);
    assert.equal(org.query('SELECT Id FROM Account WHERE CreatedDate > 2026-11-22T12:00:00+01:00').totalSize, 0);
    failsWith('SELECT Id FROM Account WHERE CreatedDate > 2026-11-22', 'INVALID_FIELD', /must be of type dateTime/);
    failsWith("SELECT Id FROM Opportunity WHERE CloseDate = '2026-11-30'", 'INVALID_FIELD', /must be of type date/);
  });

  test('ORDER BY with several keys, DESC and NULLS FIRST/LAST; LIMIT and OFFSET', () => {
    assert.deepEqual(names('SELECT Name FROM Account ORDER BY NumberOfEmployees'), ["O'Brien & Initech", 'Acme Inc', 'globex LLC'], 'nulls first by default');
    assert.deepEqual(names('SELECT Name FROM Account ORDER BY NumberOfEmployees DESC NULLS LAST'), ['globex LLC', 'Acme Inc', "O'Brien & Initech"]);
    assert.deepEqual(names('SELECT Name FROM Account ORDER BY Name'), ['Acme Inc', 'globex LLC', "O'Brien & Initech"], 'case-insensitive');
    assert.deepEqual(names('SELECT Name FROM Account ORDER BY BillingCity NULLS LAST, Name DESC LIMIT 2 OFFSET 1'), ['globex LLC', "O'Brien & Initech"]);
    assert.deepEqual(names('SELECT Name FROM Contact WHERE AccountId != null ORDER BY Account.Name, LastName'), ['Sam Kim', 'Pat Lee']);
  });

  test('COUNT() and simple aggregates', () => {
    assert.deepEqual(org.query("SELECT COUNT() FROM Contact WHERE Account.Name = 'Acme Inc'"), { totalSize: 2, records: [] });
    const aggregate = org.query('SELECT COUNT(Id), MAX(NumberOfEmployees) biggest FROM Account').records[0];
    assert.deepEqual(aggregate, { attributes: { type: 'AggregateResult' }, expr0: 3, biggest: 500 });
  });

  test('semi-joins and FIELDS()', () => {
    assert.deepEqual(names('SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity WHERE IsClosed = false)'), ['Acme Inc']);
    assert.deepEqual(names('SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact) ORDER BY Name'), ['globex LLC', "O'Brien & Initech"]);
    const all = org.query('SELECT FIELDS(STANDARD) FROM Account LIMIT 1').records[0] ?? {};
    assert.ok('BillingCity' in all && !('Synced__c' in all));
    failsWith('SELECT FIELDS(ALL) FROM Account', 'MALFORMED_QUERY', /LIMIT/);
  });

  test('queryAll semantics: deleted rows only when asked for', () => {
    const gone = org.create('Account', { Name: 'Gone Ltd' }).id as string;
    org.delete('Account', gone);
    assert.equal(org.query("SELECT Id FROM Account WHERE Name = 'Gone Ltd'").totalSize, 0);
    assert.deepEqual(org.query("SELECT IsDeleted FROM Account WHERE Name = 'Gone Ltd'", { includeDeleted: true }).records.map((r) => r.IsDeleted), [true]);
  });

  test('errors read like Salesforce and unsupported syntax is refused', () => {
    failsWith('SELECT Nope FROM Account', 'INVALID_FIELD', /No such column 'Nope' on entity 'Account'/);
    failsWith('SELECT Id FROM Nope__c', 'INVALID_TYPE', /sObject type 'Nope__c' is not supported/);
    failsWith('SELECT Id, (SELECT Id FROM Nopes) FROM Account', 'INVALID_TYPE', /Didn't understand relationship 'Nopes'/);
    failsWith('SELECT Nope.Name FROM Contact', 'INVALID_FIELD', /Didn't understand relationship 'Nope'/);
    failsWith('SELEKT Id FROM Account', 'MALFORMED_QUERY');
    failsWith("SELECT Id FROM Account WHERE Id = 'abc'", 'INVALID_QUERY_FILTER_OPERATOR', /invalid ID field: abc/);
    failsWith("SELECT Id FROM Account WHERE NumberOfEmployees = '5'", 'INVALID_FIELD');
    failsWith('SELECT Name, COUNT(Id) FROM Account GROUP BY Name', 'MALFORMED_QUERY');
    failsWith('SELECT toLabel(Industry) FROM Account', 'MALFORMED_QUERY');
    failsWith('SELECT Id FROM Account WHERE CALENDAR_YEAR(CreatedDate) = 2026', 'MALFORMED_QUERY');
    failsWith('SELECT Id, Id FROM Account', 'MALFORMED_QUERY', /duplicate field/);
    failsWith('SELECT TYPEOF Owner WHEN User THEN Email END FROM Account', 'MALFORMED_QUERY');
    failsWith('SELECT Campaign.Name FROM Opportunity', 'MALFORMED_QUERY', /not supported by the org emulator/);
    failsWith('SELECT Id FROM Account LIMIT 10 OFFSET 2001', 'MALFORMED_QUERY', /Maximum SOQL offset allowed is 2000/);
  });
});

describe('SOQL at volume', () => {
  test('the SystemModstamp cursor query on 300k accounts uses the modstamp index', async () => {
    const emulator = await startEmulator({ size: 0, forceApp: false });
    try {
      const store = emulator.org.store;
      const table = store.table('Account') as Table;
      const owner = emulator.integrationUser.id;
      let stamp = Date.now() - 10_000_000;
      for (let i = 0; i < 300_000; i++) {
        stamp += 30;
        store.write(table, { Id: store.ids.next('001'), IsDeleted: false, Name: `Account ${i}`, OwnerId: owner, CreatedDate: stamp, CreatedById: owner, LastModifiedDate: stamp, LastModifiedById: owner, SystemModstamp: stamp });
      }
      store.clock.observe(stamp);
      const cursor = new Date(stamp - 3_000 * 30).toISOString();
      const started = performance.now();
      const page = emulator.org.query(`SELECT Id, Name, SystemModstamp FROM Account WHERE SystemModstamp >= ${cursor} ORDER BY SystemModstamp, Id LIMIT 2000`);
      const elapsed = performance.now() - started;
      assert.equal(page.totalSize, 2000);
      assert.equal(page.records[0]?.Name, 'Account 296999');
      assert.ok(elapsed < 250, `cursor query took ${elapsed.toFixed(0)} ms`);
      const updated = emulator.org.update('Account', String(page.records[0]?.Id), { Name: 'Moved' });
      assert.equal(updated.success, true);
      const tail = emulator.org.query(`SELECT Name FROM Account WHERE SystemModstamp >= ${cursor} ORDER BY SystemModstamp, Id`);
      assert.equal(tail.totalSize, 3001, 'the cursor is inclusive: 3,001 stamps from the cursor on');
      assert.equal(tail.records[tail.records.length - 1]?.Name, 'Moved', 'an updated row moves to the end of the cursor order');
    } finally {
      await emulator.close();
    }
  });
});
