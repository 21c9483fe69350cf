// Bad integration settings given to the settings service (middleware/settings/service.ts), validated against
// the emulated org's live describe through the real jsforce: each is refused with exactly the problems
// listed (code, path, a message naming the value and what to use instead) and nothing is written — or,
// for a risky but legal choice, saved with the warning that says what will happen.
import assert from 'node:assert/strict';
import { buildApp } from '../../../middleware/app.ts';
import { loadConfig } from '../../../middleware/config.ts';
import { connectSalesforce } from '../../../middleware/salesforce/connection.ts';
import { defaultSettings } from '../../../middleware/settings/defaults.ts';
import { jsforceDescribeSource, type DescribeSource } from '../../../middleware/settings/describe.ts';
import type { IntegrationSettings } from '../../../middleware/settings/model.ts';
import { createSettingsService, SettingsInvalidError, type SettingsService } from '../../../middleware/settings/service.ts';
import { openTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { startEmulator } from '../../sf-emulator/index.ts';
import { assertUnchanged, snapshot, type CaseGroup, type NamedCase } from './catalogue.ts';

type Problem = { code: string; path: string; message: RegExp };
type Expectation = { refused: readonly Problem[] } | { savedWithWarning: Problem };

export interface SettingsCase extends NamedCase {
  /** The settings as the admin submits them: the defaults changed by this function (or any value at all). */
  input: (settings: IntegrationSettings) => unknown;
  /** Validate against the live describe (true) or without Salesforce, as before the connection exists. */
  live?: false;
  expect: Expectation;
}

const refused = (...problems: Problem[]): Expectation => ({ refused: problems });
const problem = (code: string, path: string, message: RegExp): Problem => ({ code, path, message });
const STATUS = 'organizations.statusValues.partner.active';
const withMapping = (settings: IntegrationSettings, mapping: IntegrationSettings['organizations']['mappings'][number]) => {
  settings.organizations.mappings.push(mapping);
  return settings;
};
const statusMapping = (valueMap: Array<{ prm: string; sf: string }>) => ({ prmField: 'status', sfField: 'Type', direction: 'to_prm' as const, firstSyncOnly: false, valueMap });
const set = <T>(settings: IntegrationSettings, change: (s: IntegrationSettings) => T) => {
  change(settings);
  return settings;
};

export const SETTINGS_CASES: readonly SettingsCase[] = [
  { name: 'unknown status picklist value', input: (s) => set(s, (x) => (x.organizations.statusValues.partner.active = 'Reseller, Gold')), expect: refused(problem('PICKLIST_VALUE_MISSING', STATUS, /'Reseller, Gold' is not a value of Account\.PRM_Partner_Status__c; its values are 'Reseller, Active'/)) },
  { name: 'wrong-case status picklist value', input: (s) => set(s, (x) => (x.organizations.statusValues.partner.active = 'reseller, active')), expect: refused(problem('PICKLIST_VALUE_CASE', STATUS, /'reseller, active' differs only in case from the Salesforce value 'Reseller, Active'; picklist values are case-sensitive/)) },
  {
    name: 'value map naming an unknown and a wrong-case picklist value',
    input: (s) => withMapping(s, statusMapping([{ prm: 'active', sf: 'Customer - Direct' }, { prm: 'inactive', sf: 'Former Customer' }, { prm: 'prospective', sf: 'prospect' }])),
    expect: refused(
      problem('PICKLIST_VALUE_MISSING', 'organizations.mappings[12].valueMap[1].sf', /'Former Customer' is not a value of Account\.Type; its values are 'Prospect'/),
      problem('PICKLIST_VALUE_CASE', 'organizations.mappings[12].valueMap[2].sf', /'prospect' differs only in case from the Salesforce value 'Prospect'/),
    ),
  },
  { name: 'Salesforce field that does not exist', input: (s) => set(s, (x) => (x.contacts.mappings[0]!.sfField = 'FristName')), expect: refused(problem('FIELD_MISSING', 'contacts.mappings[0].sfField', /Contact has no field 'FristName'\. Deploy the companion package \(or create the field\)/)) },
  { name: 'Salesforce field in the wrong case', input: (s) => set(s, (x) => (x.organizations.syncFlagField = 'prm_sync__c')), expect: refused(problem('FIELD_CASE_MISMATCH', 'organizations.syncFlagField', /'prm_sync__c' differs only in case from the Salesforce field Account\.PRM_Sync__c; API names must be spelled exactly/)) },
  { name: 'unknown PRM field', input: (s) => set(s, (x) => (x.contacts.mappings[0]!.prmField = 'nickname')), expect: refused(problem('PRM_FIELD_UNKNOWN', 'contacts.mappings[0].prmField', /the PRM has no contacts field 'nickname'; use one of first_name/)) },
  { name: 'wrong-case direction', input: (s) => set(s, (x) => ((x.contacts.mappings[0] as { direction: string }).direction = 'Both')), expect: refused(problem('INVALID_VALUE', 'contacts.mappings[0].direction', /must be one of: both, to_salesforce, to_prm/)) },
  { name: 'status field that is not a picklist', input: (s) => set(s, (x) => (x.organizations.statusField = 'Name')), expect: refused(problem('TYPE_MISMATCH', 'organizations.statusField', /Account\.Name is a string field; the partner status must be a picklist/)) },
  { name: 'record type in the wrong case', input: (s) => set(s, (x) => (x.organizations.recordTypes.partner = 'partner_account')), expect: refused(problem('RECORD_TYPE_MISSING', 'organizations.recordTypes.partner', /'partner_account' differs only in case from the Account record type 'Partner_Account'; record type names are case-sensitive/)) },
  { name: 'misspelt record type', input: (s) => set(s, (x) => (x.organizations.recordTypes.partner = 'Partner_Acount')), expect: refused(problem('RECORD_TYPE_MISSING', 'organizations.recordTypes.partner', /Account has no record type 'Partner_Acount' \(it has 'Distributor_Account', 'Partner_Account'\)/)) },
  { name: 'NUL in a picklist value, before Salesforce is connected', live: false, input: (s) => set(s, (x) => (x.organizations.statusValues.partner.active = 'Reseller\u0000, Active')), expect: refused(problem('INVALID_VALUE', STATUS, /must not contain the NUL character \(U\+0000\)/)) },
  { name: 'unknown top-level property', live: false, input: (s) => ({ ...s, colour: 'blue' }), expect: refused(problem('INVALID_VALUE', 'colour', /colour: is not allowed \(unknown property\)/)) },
  { name: 'not a settings document at all', live: false, input: () => null, expect: refused(problem('INVALID_VALUE', '(settings)', /must be object/)) },
  {
    name: 'a long Salesforce field mapped to a shorter PRM column: saved, with the warning',
    input: (s) => set(s, (x) => (x.organizations.mappings.find((m) => m.prmField === 'billing_city')!.sfField = 'Description')),
    expect: { savedWithWarning: problem('PRM_FIELD_SHORTER', 'organizations.mappings[4].sfField', /Account\.Description holds 32000 characters, the PRM's 'billing_city' 100; longer Salesforce values are not taken, and each such record is logged \(VALUE_TOO_LONG\)/) },
  },
];

interface World {
  database: TestDatabase;
  service: SettingsService;
  describes: DescribeSource;
  app: Awaited<ReturnType<typeof buildApp>>;
  close(): Promise<void>;
}

const SETTINGS_TABLES = ['settings', 'settings_audit', 'field_mappings'];

function matches(actual: { code: string; path: string; message: string }, expected: Problem): boolean {
  return actual.code === expected.code && actual.path === expected.path && expected.message.test(actual.message);
}

async function runSettingsCase(world: World, testCase: SettingsCase): Promise<void> {
  const db = world.database.db;
  const before = await snapshot(db, SETTINGS_TABLES);
  const { version } = await world.service.load();
  const saving = world.service.save(testCase.input(defaultSettings()), { actor: 'admin@prm-sync.test', expectedVersion: version, describeSource: testCase.live === false ? null : world.describes });
  if ('refused' in testCase.expect) {
    const error = await saving.then(
      () => assert.fail('the settings were saved'),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof SettingsInvalidError, String(error));
    assert.equal(error.problems.length, testCase.expect.refused.length, JSON.stringify(error.problems, null, 1));
    for (const expected of testCase.expect.refused) assert.ok(error.problems.some((p) => matches(p, expected)), `${expected.code} at ${expected.path}: ${JSON.stringify(error.problems, null, 1)}`);
    assertUnchanged(before, await snapshot(db, SETTINGS_TABLES), testCase.name);
    return;
  }
  const saved = await saving;
  assert.equal(saved.version, version + 1);
  assert.ok(saved.warnings.some((w) => matches(w, (testCase.expect as { savedWithWarning: Problem }).savedWithWarning)), JSON.stringify(saved.warnings, null, 1));
  assert.deepEqual((await world.service.load()).settings, testCase.input(defaultSettings()), 'stored exactly as given');
  assertUnchanged(before, await snapshot(db, SETTINGS_TABLES), testCase.name, { allowNew: true });
}

async function openWorld(): Promise<World> {
  const emulator = await startEmulator({ port: 0, size: 0 });
  const database = await openTestDatabase();
  const session = await connectSalesforce({ loginUrl: emulator.url, instanceUrl: emulator.url, accessToken: emulator.accessToken });
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database });
  return {
    database,
    service: createSettingsService(database.db),
    describes: jsforceDescribeSource(session.conn),
    app,
    async close() {
      await app.close();
      await database.close();
      await emulator.close();
    },
  };
}

export const settingsGroup: CaseGroup<World, SettingsCase> = {
  area: 'settings validation (settings service)',
  cases: SETTINGS_CASES,
  open: openWorld,
  run: runSettingsCase,
  app: (world) => world.app,
  close: (world) => world.close(),
};
