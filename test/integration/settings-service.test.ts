// The settings service on a real database: load (defaults before the first save), save with version
// check and audit, nothing written when validation or the version check fails; and once through the real
// jsforce against the emulated org's describe.
import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { databaseLabel, openTestDatabase } from '../helpers/db.ts';
import { defaultSettings } from '../../middleware/settings/defaults.ts';
import { jsforceDescribeSource, type DescribeSource } from '../../middleware/settings/describe.ts';
import { createSettingsService, SettingsInvalidError } from '../../middleware/settings/service.ts';
import { connectSalesforce } from '../../middleware/salesforce/connection.ts';
import { startEmulator } from '../sf-emulator/index.ts';
import { packagedDescribes } from '../unit/settings-describes.ts';

const database = await openTestDatabase();
after(() => database.close());

/** Serves the recorded describes (with the package deployed) and counts the calls. */
function recordedSource(): DescribeSource & { calls: string[] } {
  const describes = packagedDescribes();
  const calls: string[] = [];
  return {
    calls,
    async describe(objectName) {
      calls.push(objectName);
      const describe = describes[objectName];
      if (!describe) throw new Error(`NOT_FOUND: ${objectName}`);
      return describe;
    },
  };
}

const count = async (table: string) => Number((await database.db(table).count<Array<{ count: string | number }>>({ count: '*' }))[0]?.count);

describe(`settings service on ${databaseLabel()}`, () => {
  const service = createSettingsService(database.db);

  test('before the first save, load returns the defaults at version 0', async () => {
    const loaded = await service.load();
    assert.equal(loaded.version, 0);
    assert.deepEqual(loaded.settings, defaultSettings());
  });

  test('save validates against describe, writes the document and the mapping rows, and audits who/when/before/after', async () => {
    const source = recordedSource();
    const first = await service.save(defaultSettings(), { actor: 'admin@prm.example', expectedVersion: 0, describeSource: source });
    assert.equal(first.version, 1);
    assert.equal(first.changed, true);
    assert.equal(first.schemaChecked, true);
    assert.deepEqual(source.calls.sort(), ['Account', 'Contact', 'Opportunity']);
    assert.deepEqual(first.settings, defaultSettings());
    assert.ok(first.warnings.length > 0);
    const rows = await database.db('field_mappings').where({ object: 'contacts' }).orderBy('position');
    assert.deepEqual(rows.map((row) => `${row.prm_field}→${row.sf_field}:${row.direction}`).slice(0, 3), ['first_name→FirstName:both', 'last_name→LastName:both', 'email→Email:both']);

    const next = defaultSettings();
    next.schedules.incrementalSync = 15;
    next.contacts.conflictPolicy = 'last_modified_wins';
    next.organizations.mappings.push({
      prmField: 'status',
      sfField: 'Type',
      direction: 'to_salesforce',
      firstSyncOnly: true,
      valueMap: [
        { prm: 'active', sf: 'Channel Partner / Reseller' },
        { prm: 'prospective', sf: 'Prospect' },
        { prm: 'inactive', sf: 'Other' },
      ],
    });
    const second = await service.save(next, { actor: 'ops@prm.example', expectedVersion: 1, describeSource: source });
    assert.equal(second.version, 2);
    assert.deepEqual((await service.load()).settings, next, 'value maps and flags survive the round trip');

    const history = await service.history();
    assert.deepEqual(history.map((entry) => [entry.version, entry.actor]), [
      [2, 'ops@prm.example'],
      [1, 'admin@prm.example'],
    ]);
    assert.equal(history[1]?.before, null, 'the first save has no before');
    assert.deepEqual(history[0]?.before, defaultSettings());
    assert.deepEqual(history[0]?.after, next);
    assert.ok(history[0]?.changedAt instanceof Date);
  });

  test('saving the same settings again writes and audits nothing', async () => {
    const current = await service.load();
    const audits = await count('settings_audit');
    const result = await service.save(current.settings, { actor: 'admin@prm.example', expectedVersion: current.version, describeSource: recordedSource() });
    assert.equal(result.changed, false);
    assert.equal(result.version, current.version);
    assert.equal(await count('settings_audit'), audits);
  });

  test('a stale version is refused with 409 naming the current version; nothing changes', async () => {
    const current = await service.load();
    const audits = await count('settings_audit');
    const stale = structuredClone(current.settings);
    stale.enabled = false;
    await assert.rejects(service.save(stale, { actor: 'late@prm.example', expectedVersion: current.version - 1, describeSource: null }), (error: Error & { statusCode?: number; code?: string }) => {
      assert.equal(error.statusCode, 409);
      assert.equal(error.code, 'STALE_VERSION');
      assert.match(error.message, new RegExp(`now version ${current.version}, saved by ops@prm.example; you edited version ${current.version - 1}`));
      return true;
    });
    assert.equal((await service.load()).settings.enabled, true);
    assert.equal(await count('settings_audit'), audits);
  });

  test('invalid settings are refused with every problem, and nothing is written', async () => {
    const current = await service.load();
    const mappingsBefore = await database.db('field_mappings').select('*').orderBy(['object', 'position']);
    const bad = structuredClone(current.settings);
    bad.organizations.statusValues.partner.active = 'reseller, active';
    bad.contacts.mappings[0] = { prmField: 'first_name', sfField: 'HasOptedOutOfEmail', direction: 'both', firstSyncOnly: false };
    await assert.rejects(service.save(bad, { actor: 'admin@prm.example', expectedVersion: current.version, describeSource: recordedSource() }), (error: Error) => {
      assert.ok(error instanceof SettingsInvalidError);
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, 'SETTINGS_INVALID');
      assert.match(error.message, /'reseller, active' differs only in case from the Salesforce value 'Reseller, Active'; picklist values are case-sensitive/);
      assert.deepEqual(error.problems.map((problem) => problem.path), ['contacts.mappings[0].sfField', 'organizations.statusValues.partner.active']);
      return true;
    });
    const malformed = { ...current.settings, schedules: { incrementalSync: 7 } };
    await assert.rejects(service.save(malformed, { actor: 'admin@prm.example', expectedVersion: current.version, describeSource: null }), /schedules.incrementalSync: must be one of: manual, 5, 10, 15, 30, 60/);
    assert.equal((await service.load()).version, current.version);
    assert.deepEqual(await database.db('field_mappings').select('*').orderBy(['object', 'position']), mappingsBefore);
  });

  test('a failing describe source refuses the save with a clear message', async () => {
    const current = await service.load();
    const broken: DescribeSource = { describe: async () => Promise.reject(new Error('INVALID_SESSION_ID: Session expired or invalid')) };
    await assert.rejects(service.save(current.settings, { actor: 'a@b.c', expectedVersion: current.version, describeSource: broken }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'SALESFORCE_DESCRIBE_FAILED');
      assert.match(error.message, /reading the Salesforce schema failed \(INVALID_SESSION_ID: Session expired or invalid\)/);
      return true;
    });
  });
});

describe('settings validated through jsforce against the emulated org', () => {
  test('the defaults pass, and a case-only picklist difference is refused', async () => {
    const emulator = await startEmulator({ port: 0, size: 0 });
    const scratch = await openTestDatabase();
    try {
      const session = await connectSalesforce({ loginUrl: emulator.url, instanceUrl: emulator.url, accessToken: emulator.accessToken });
      const source = jsforceDescribeSource(session.conn);
      const service = createSettingsService(scratch.db);
      const saved = await service.save(defaultSettings(), { actor: 'admin@prm.example', expectedVersion: 0, describeSource: source });
      assert.equal(saved.version, 1);
      assert.equal(saved.schemaChecked, true);
      const bad = defaultSettings();
      bad.organizations.statusValues.distributor.prospective = 'distributor, prospective';
      await assert.rejects(
        service.save(bad, { actor: 'admin@prm.example', expectedVersion: 1, describeSource: source }),
        /'distributor, prospective' differs only in case from the Salesforce value 'Distributor, Prospective'; picklist values are case-sensitive/,
      );
    } finally {
      await scratch.close();
      await emulator.close();
    }
  });
});
