// The settings validator against real describe recordings (../shared/data/salesforce-describe) with the
// companion package's PRM_ fields added, as an org shows them after deployment.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings } from '../../middleware/settings/defaults.ts';
import { cronOf, type IntegrationSettings } from '../../middleware/settings/model.ts';
import { validateSettings, validateSettingsAgainstSchema } from '../../middleware/settings/validate.ts';
import { editField, packagedDescribes, recordedDescribe } from './settings-describes.ts';

const codes = (problems: Array<{ code: string }>) => problems.map((problem) => problem.code);

function withSettings(change: (settings: IntegrationSettings) => void): IntegrationSettings {
  const settings = defaultSettings();
  change(settings);
  return settings;
}

describe('settings validation against Salesforce describe', () => {
  test('the defaults are valid once the companion package is deployed', () => {
    const result = validateSettings(defaultSettings(), packagedDescribes());
    assert.deepEqual(result.problems, []);
    assert.ok(result.settings);
    assert.ok(result.warnings.every((warning) => warning.code === 'TRUNCATION_RISK'), 'only length warnings remain');
    assert.ok(result.warnings.some((warning) => /Contact\.Email holds 80/.test(warning.message)));
  });

  test('without the package every PRM_ field and record type is reported missing, with the fix', () => {
    const describes = { Account: recordedDescribe('Account'), Contact: recordedDescribe('Contact'), Opportunity: recordedDescribe('Opportunity') };
    const { problems } = validateSettingsAgainstSchema(defaultSettings(), describes);
    const missing = problems.filter((problem) => problem.code === 'FIELD_MISSING');
    assert.ok(missing.some((problem) => problem.path === 'organizations.syncFlagField' && /Account has no field 'PRM_Sync__c'. Deploy the companion package/.test(problem.message)));
    assert.ok(missing.some((problem) => problem.path === 'organizations.mappings[8].sfField' && /PRM_Id__c/.test(problem.message)));
    assert.ok(problems.some((problem) => problem.code === 'RECORD_TYPE_MISSING' && /no record type 'Partner_Account' \(it has 'Household'\)/.test(problem.message)));
    assert.ok(!problems.some((problem) => /'Name'|'BillingCity'|'StageName'/.test(problem.message)), 'standard fields exist');
  });

  test('a picklist value differing only in case is refused, saying so', () => {
    const settings = withSettings((s) => {
      s.organizations.statusValues.partner.active = 'reseller, active';
    });
    const { problems } = validateSettingsAgainstSchema(settings, packagedDescribes());
    assert.deepEqual(problems, [
      {
        path: 'organizations.statusValues.partner.active',
        code: 'PICKLIST_VALUE_CASE',
        message: "organizations.statusValues.partner.active: 'reseller, active' differs only in case from the Salesforce value 'Reseller, Active'; picklist values are case-sensitive.",
      },
    ]);
  });

  test('a picklist value that does not exist is refused, listing the values', () => {
    const settings = withSettings((s) => {
      s.organizations.statusValues.distributor.active = 'Distributor, Gold';
    });
    const [problem] = validateSettingsAgainstSchema(settings, packagedDescribes()).problems;
    assert.equal(problem?.code, 'PICKLIST_VALUE_MISSING');
    assert.match(problem?.message ?? '', /'Distributor, Gold' is not a value of Account.PRM_Partner_Status__c; its values are 'Reseller, Active', /);
  });

  test('prospective and inactive values are checked only when those partners sync', () => {
    const settings = withSettings((s) => {
      s.organizations.statusValues.partner.inactive = 'Retired';
    });
    assert.deepEqual(validateSettingsAgainstSchema(settings, packagedDescribes()).problems, []);
    settings.organizations.includeInactive = true;
    assert.deepEqual(codes(validateSettingsAgainstSchema(settings, packagedDescribes()).problems), ['PICKLIST_VALUE_MISSING']);
  });

  test('picklist value maps: the standard Account Type picklist, with a case slip and an unknown value', () => {
    const settings = withSettings((s) => {
      s.organizations.mappings.push({
        prmField: 'status',
        sfField: 'Type',
        direction: 'both',
        firstSyncOnly: false,
        valueMap: [
          { prm: 'active', sf: 'Channel Partner / Reseller' },
          { prm: 'prospective', sf: 'prospect' },
          { prm: 'inactive', sf: 'Former Partner' },
        ],
      });
    });
    const result = validateSettingsAgainstSchema(settings, packagedDescribes());
    assert.deepEqual(codes(result.problems), ['PICKLIST_VALUE_CASE', 'PICKLIST_VALUE_MISSING']);
    assert.equal(result.problems[0]?.path, 'organizations.mappings[12].valueMap[1].sf');
    assert.match(result.problems[0]?.message ?? '', /'prospect' differs only in case from the Salesforce value 'Prospect'; picklist values are case-sensitive/);
    assert.match(result.problems[1]?.message ?? '', /'Former Partner' is not a value of Account.Type/);
    assert.ok(result.warnings.some((warning) => warning.code === 'PICKLIST_VALUES_UNMAPPED' && /'Customer - Direct'/.test(warning.message)));
  });

  test('an enum PRM field mapped to a picklist needs a value map', () => {
    const settings = withSettings((s) => {
      s.organizations.mappings.push({ prmField: 'status', sfField: 'Rating', direction: 'to_salesforce', firstSyncOnly: false });
    });
    const [problem] = validateSettingsAgainstSchema(settings, packagedDescribes()).problems;
    assert.equal(problem?.code, 'VALUE_MAP_REQUIRED');
    assert.match(problem?.message ?? '', /'status' has the values active, prospective, inactive and Account.Rating is a picklist/);
  });

  test('a field that does not exist, and one spelled in another case', () => {
    const settings = withSettings((s) => {
      s.organizations.mappings[0] = { prmField: 'name', sfField: 'Nmae', direction: 'both', firstSyncOnly: false };
      s.contacts.mappings[2] = { prmField: 'email', sfField: 'email', direction: 'both', firstSyncOnly: false };
    });
    const { problems } = validateSettingsAgainstSchema(settings, packagedDescribes());
    assert.ok(problems.some((problem) => problem.path === 'organizations.mappings[0].sfField' && problem.code === 'FIELD_MISSING' && /Account has no field 'Nmae'/.test(problem.message)));
    assert.ok(problems.some((problem) => problem.path === 'contacts.mappings[2].sfField' && problem.code === 'FIELD_CASE_MISMATCH' && /'email' differs only in case from the Salesforce field Contact.Email/.test(problem.message)));
    assert.ok(problems.some((problem) => problem.code === 'REQUIRED_FIELD_UNMAPPED' && /Account.Name is required to create records/.test(problem.message)), 'Name no longer receives a value');
  });

  test('type mismatches: text to a checkbox, a number to a date, a PRM boolean to text', () => {
    const settings = withSettings((s) => {
      s.organizations.mappings.push({ prmField: 'custom.notes', sfField: 'Description', direction: 'both', firstSyncOnly: false });
      s.organizations.mappings.push({ prmField: 'billing_country', sfField: 'PRM_Sync__c', direction: 'to_salesforce', firstSyncOnly: false });
      s.deals.mappings[2] = { prmField: 'amount', sfField: 'CloseDate', direction: 'to_prm', firstSyncOnly: false };
      s.contacts.mappings.push({ prmField: 'is_user', sfField: 'Department', direction: 'to_salesforce', firstSyncOnly: false });
    });
    const { problems } = validateSettingsAgainstSchema(settings, packagedDescribes());
    const mismatches = problems.filter((problem) => problem.code === 'TYPE_MISMATCH').map((problem) => problem.message);
    assert.equal(mismatches.length, 3, mismatches.join('\n'));
    assert.ok(mismatches.some((m) => /PRM field 'billing_country' is text, but Account.PRM_Sync__c is a boolean field/.test(m)));
    assert.ok(mismatches.some((m) => /'amount' is number, but Opportunity.CloseDate is a date field/.test(m)));
    assert.ok(mismatches.some((m) => /'is_user' is boolean, but Contact.Department is a string field/.test(m)));
  });

  test('fields the integration user cannot update cannot receive values; to_prm is fine', () => {
    const describes = packagedDescribes();
    editField(describes, 'Account', 'Phone', { updateable: false, createable: false });
    const both = validateSettingsAgainstSchema(defaultSettings(), describes);
    assert.deepEqual(codes(both.problems), ['NOT_UPDATEABLE']);
    assert.match(both.problems[0]?.message ?? '', /Account.Phone is not updateable by the integration user, so values cannot flow to Salesforce \(direction 'both'\)/);
    const readOnly = withSettings((s) => {
      (s.organizations.mappings[2] as { direction: string }).direction = 'to_prm';
    });
    assert.deepEqual(validateSettingsAgainstSchema(readOnly, describes).problems, []);
    const pullOnly = withSettings((s) => {
      s.organizations.direction = 'pull';
    });
    assert.ok(!codes(validateSettingsAgainstSchema(pullOnly, describes).problems).includes('NOT_UPDATEABLE'), 'a pulled object writes nothing');
  });

  test('the sync flag must be a checkbox; record types must exist (case-sensitively) and be available', () => {
    const settings = withSettings((s) => {
      s.organizations.syncFlagField = 'Website';
      s.organizations.recordTypes.partner = 'partner_account';
      s.contacts.recordType = 'Reseller_Contact';
    });
    const describes = packagedDescribes();
    editField(describes, 'Account', 'PRM_Id__c', { externalId: false, idLookup: false });
    const { problems } = validateSettingsAgainstSchema(settings, describes);
    assert.deepEqual(codes(problems).sort(), ['NOT_EXTERNAL_ID', 'RECORD_TYPE_MISSING', 'RECORD_TYPE_MISSING', 'TYPE_MISMATCH']);
    assert.ok(problems.some((p) => /the sync flag must be a checkbox/.test(p.message)));
    assert.ok(problems.some((p) => /'partner_account' differs only in case from the Account record type 'Partner_Account'/.test(p.message)));
    assert.ok(problems.some((p) => /Contact has no record type 'Reseller_Contact' \(it has 'Partner_Contact'\)/.test(p.message)));
  });

  test('disabled objects are not checked; a missing describe for an enabled one is reported', () => {
    const settings = withSettings((s) => {
      s.deals.direction = 'disabled';
    });
    const describes = packagedDescribes();
    delete describes.Opportunity;
    assert.deepEqual(validateSettingsAgainstSchema(settings, describes).problems, []);
    settings.deals.direction = 'pull';
    assert.deepEqual(codes(validateSettingsAgainstSchema(settings, describes).problems), ['OBJECT_NOT_DESCRIBED']);
  });
});

describe('settings shape and rules', () => {
  test('the shape is checked with paths naming each problem', () => {
    const bad = structuredClone(defaultSettings()) as unknown as Record<string, Record<string, unknown>>;
    (bad.organizations as Record<string, unknown>).direction = 'sideways';
    (bad.schedules as Record<string, unknown>).incrementalSync = 7;
    delete (bad.contacts as Record<string, unknown>).recordType;
    (bad.deals as Record<string, unknown>).direction = 'push';
    bad.surprise = {};
    const { problems, settings } = validateSettings(bad, null);
    assert.equal(settings, undefined);
    const messages = problems.map((problem) => problem.message);
    assert.ok(messages.includes('organizations.direction: must be one of: push_and_pull, push, pull, disabled'), messages.join('\n'));
    assert.ok(messages.includes('schedules.incrementalSync: must be one of: manual, 5, 10, 15, 30, 60'), messages.join('\n'));
    assert.ok(messages.includes('contacts.recordType: is required'), messages.join('\n'));
    assert.ok(messages.includes('deals.direction: must be one of: pull, disabled'), messages.join('\n'));
    assert.ok(messages.includes('surprise: is not allowed (unknown property)'), messages.join('\n'));
  });

  test('mapping rules: unknown and read-only PRM fields, duplicates, ambiguous value maps and status values, required fields', () => {
    const settings = withSettings((s) => {
      s.organizations.mappings.push({ prmField: 'revenue', sfField: 'AnnualRevenue', direction: 'both', firstSyncOnly: false });
      s.organizations.mappings.push({ prmField: 'id', sfField: 'AccountNumber', direction: 'both', firstSyncOnly: false });
      s.organizations.mappings.push({ prmField: 'website', sfField: 'website', direction: 'to_salesforce', firstSyncOnly: false });
      s.contacts.mappings.push({ prmField: 'title', sfField: 'Department', direction: 'both', firstSyncOnly: false });
      s.organizations.mappings.push({
        prmField: 'status',
        sfField: 'Type',
        direction: 'both',
        firstSyncOnly: false,
        valueMap: [
          { prm: 'Active', sf: 'Customer - Direct' },
          { prm: 'inactive', sf: 'Other' },
          { prm: 'prospective', sf: 'Other' },
        ],
      });
      s.organizations.statusValues.distributor.inactive = 'Reseller, Inactive';
      s.deals.mappings = s.deals.mappings.filter((mapping) => mapping.prmField !== 'stage');
      s.contacts.mappings = s.contacts.mappings.filter((mapping) => mapping.prmField !== 'id');
    });
    const result = validateSettings(settings, null);
    const byCode = (code: string) => result.problems.filter((problem) => problem.code === code).map((problem) => problem.message);
    assert.match(byCode('PRM_FIELD_UNKNOWN')[0] ?? '', /the PRM has no organizations field 'revenue'; use one of name, website/);
    assert.match(byCode('PRM_FIELD_READ_ONLY')[0] ?? '', /'id' is set by the PRM only, so it can only flow to Salesforce/);
    assert.ok(byCode('DUPLICATE_MAPPING').some((m) => /website is already mapped by organizations.mappings\[1\]/.test(m)));
    assert.ok(byCode('DUPLICATE_MAPPING').some((m) => /'title' already receives values from Salesforce through contacts.mappings\[4\]/.test(m)));
    assert.match(byCode('PICKLIST_VALUE_CASE')[0] ?? '', /'Active' differs only in case from the PRM value 'active'/);
    assert.match(byCode('VALUE_MAP_DUPLICATE')[0] ?? '', /'Other' appears twice, so the value to bring into the PRM is ambiguous/);
    assert.match(byCode('STATUS_VALUES_AMBIGUOUS')[0] ?? '', /organizations.statusValues.distributor.inactive: 'Reseller, Inactive' is also the value of organizations.statusValues.partner.inactive/);
    assert.ok(byCode('REQUIRED_FIELD_UNMAPPED').some((m) => /the deal field 'stage' is required/.test(m)));
    assert.ok(byCode('REQUIRED_FIELD_UNMAPPED').some((m) => /contacts.mappings: the PRM id must be mapped to an external-id field/.test(m)));
  });

  test('schedules translate to cron expressions; manual has none', () => {
    assert.equal(cronOf(5), '*/5 * * * *');
    assert.equal(cronOf(60), '0 * * * *');
    assert.equal(cronOf('hourly'), '0 * * * *');
    assert.equal(cronOf('manual'), null);
    assert.deepEqual(defaultSettings().schedules, { incrementalSync: 5, fullReconcile: 'hourly', dealImport: 'hourly' });
  });
});
