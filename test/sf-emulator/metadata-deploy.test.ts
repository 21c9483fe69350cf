// Metadata API deploys (SOAP) and the Tooling API against the emulator over HTTP with the real jsforce:
// deployed fields and record types appear in describe, checkOnly changes nothing, invalid metadata
// fails with Salesforce's component errors and applies nothing, deploys can be canceled.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jsforce from 'jsforce';
import type { Connection } from 'jsforce';
import JSZip from 'jszip';
import { startEmulator } from './index.ts';
import { setDeployQueueTime } from './metadata/deploy-jobs.ts';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Message = { componentType: string; fullName: string; fileName: string; problem?: string; problemType?: string; success: string | boolean; id?: string };
const VERSION = '62.0';
const MD = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

function packageXml(types: Record<string, string[]>): string {
  const body = Object.entries(types)
    .map(([name, members]) => `<types>${members.map((m) => `<members>${m}</members>`).join('')}<name>${name}</name></types>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><Package ${MD}>${body}<version>${VERSION}</version></Package>`;
}

async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(files)) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer' });
}

const textField = (name: string, length?: number) =>
  `<fields><fullName>${name}</fullName><label>${name.replace(/__c$/, '').replace(/_/g, ' ')}</label>${length ? `<length>${length}</length>` : ''}<type>Text</type></fields>`;

const tierField = `<fields><fullName>Emu_Tier__c</fullName><label>Emu Tier</label><type>Picklist</type><valueSet><restricted>true</restricted>
  <valueSetDefinition><sorted>false</sorted><value><fullName>Gold</fullName><default>true</default><label>Gold</label></value>
  <value><fullName>Silver, Plus</fullName><default>false</default><label>Silver, Plus</label></value></valueSetDefinition></valueSet></fields>`;

const goldRecordType = `<recordTypes><fullName>Emu_Gold</fullName><active>true</active><label>Emu Gold</label>
  <picklistValues><picklist>Emu_Tier__c</picklist><values><fullName>Gold</fullName><default>true</default></values>
  <values><fullName>Silver%2C Plus</fullName><default>false</default></values></picklistValues></recordTypes>`;

const permissionSet = (fields: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><PermissionSet ${MD}>${fields
    .map((f) => `<fieldPermissions><editable>true</editable><field>${f}</field><readable>true</readable></fieldPermissions>`)
    .join('')}<hasActivationRequired>false</hasActivationRequired><label>Emu Access</label></PermissionSet>`;

function messages(value: unknown): Message[] {
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]) as Message[];
}

describe('Metadata API deploy and Tooling API with jsforce', { timeout: 120_000 }, () => {
  let emulator: Emulator;
  let conn: Connection;

  async function fieldNames(objectName: string): Promise<Set<string>> {
    const described = await conn.sobject(objectName).describe();
    return new Set(described.fields.map((f) => f.name));
  }

  before(async () => {
    emulator = await startEmulator({ port: 0, seed: 3 });
    conn = new jsforce.Connection({ oauth2: { loginUrl: emulator.url, clientId: 'metadata-test', clientSecret: 'secret' }, version: VERSION });
    await conn.login('integration@prm-sync.test', 'emulator');
    conn.metadata.pollInterval = 20;
    conn.metadata.pollTimeout = 30_000;
  });

  after(async () => {
    await emulator?.close();
  });

  it('deploys fields, a record type and a permission set; describe shows them', async () => {
    const zip = await zipOf({
      'package.xml': packageXml({ CustomObject: ['Account'], PermissionSet: ['Emu_Access'] }),
      'objects/Account.object': `<?xml version="1.0" encoding="UTF-8"?><CustomObject ${MD}>${textField('Emu_Code__c', 12)}${tierField}${goldRecordType}
        <fields><fullName>Emu_Partner__c</fullName><deleteConstraint>SetNull</deleteConstraint><label>Emu Partner</label><referenceTo>Account</referenceTo>
        <relationshipLabel>Emu Partnered Accounts</relationshipLabel><relationshipName>Emu_Partnered_Accounts</relationshipName><type>Lookup</type></fields></CustomObject>`,
      'permissionsets/Emu_Access.permissionset': permissionSet(['Account.Emu_Code__c', 'Account.Emu_Tier__c', 'Account.Phone']),
    });
    const result = await conn.metadata.deploy(zip, { rollbackOnError: true, singlePackage: true }).complete(true);
    assert.equal(result.status, 'Succeeded');
    assert.equal(result.success, true);
    assert.equal(result.numberComponentErrors, 0);
    const successes = messages(result.details?.componentSuccesses);
    const code = successes.find((m) => m.fullName === 'Account.Emu_Code__c');
    assert.equal(code?.componentType, 'CustomField');
    assert.equal(code?.fileName, 'objects/Account.object');
    assert.match(String(code?.id), /^00N[A-Za-z0-9]{15}$/);
    assert.ok(successes.some((m) => m.componentType === 'RecordType' && m.fullName === 'Account.Emu_Gold' && /^012/.test(String(m.id))));
    assert.ok(successes.some((m) => m.componentType === 'PermissionSet' && m.fullName === 'Emu_Access'));

    const account = await conn.sobject('Account').describe();
    const codeField = account.fields.find((f) => f.name === 'Emu_Code__c');
    assert.deepEqual([codeField?.type, codeField?.length, codeField?.custom], ['string', 12, true]);
    const tier = account.fields.find((f) => f.name === 'Emu_Tier__c');
    assert.deepEqual(tier?.picklistValues?.map((v) => v.value), ['Gold', 'Silver, Plus']);
    assert.equal(tier?.restrictedPicklist, true);
    const partner = account.fields.find((f) => f.name === 'Emu_Partner__c');
    // As on Salesforce: the field's relationship is named after the field, the child relationship after relationshipName.
    assert.deepEqual([partner?.type, partner?.referenceTo, partner?.relationshipName], ['reference', ['Account'], 'Emu_Partner__r']);
    assert.ok(account.childRelationships.some((r) => r.relationshipName === 'Emu_Partnered_Accounts__r' && r.field === 'Emu_Partner__c'));
    const recordTypes = account.recordTypeInfos as unknown as Array<{ developerName: string; active: boolean }>;
    assert.ok(recordTypes.some((rt) => rt.developerName === 'Emu_Gold' && rt.active));
  });

  it('validates with checkOnly without changing the org', async () => {
    const zip = await zipOf({
      'package.xml': packageXml({ CustomField: ['Contact.Emu_Checked__c'] }),
      'objects/Contact.object': `<?xml version="1.0" encoding="UTF-8"?><CustomObject ${MD}>${textField('Emu_Checked__c', 20)}</CustomObject>`,
    });
    const result = await conn.metadata.deploy(zip, { checkOnly: true, rollbackOnError: true }).complete(true);
    assert.equal(result.status, 'Succeeded');
    assert.equal(String(result.checkOnly), 'true');
    assert.ok(!(await fieldNames('Contact')).has('Emu_Checked__c'));
  });

  it('quick-deploys a successful validation with deployRecentValidation', async () => {
    const zip = await zipOf({
      'package.xml': packageXml({ CustomField: ['Contact.Emu_Quick__c'] }),
      'objects/Contact.object': `<?xml version="1.0" encoding="UTF-8"?><CustomObject ${MD}>${textField('Emu_Quick__c', 8)}</CustomObject>`,
    });
    const validation = await conn.metadata.deploy(zip, { checkOnly: true, rollbackOnError: true }).complete(false);
    assert.ok(!(await fieldNames('Contact')).has('Emu_Quick__c'));
    const quickId = await conn.metadata.deployRecentValidation({ id: validation.id, rest: false });
    assert.match(String(quickId), /^0Af/);
    assert.notEqual(quickId, validation.id);
    let status = await conn.metadata.checkDeployStatus(String(quickId), false);
    while (String(status.done) !== 'true') {
      await new Promise((resolve) => setTimeout(resolve, 10));
      status = await conn.metadata.checkDeployStatus(String(quickId), false);
    }
    assert.equal(status.status, 'Succeeded');
    assert.ok((await fieldNames('Contact')).has('Emu_Quick__c'));
    await assert.rejects(conn.metadata.deployRecentValidation({ id: String(quickId), rest: false }), /INVALID_ID_FIELD/);
  });

  it('fails invalid metadata with component errors and applies nothing', async () => {
    const zip = await zipOf({
      'package.xml': packageXml({ CustomObject: ['Account'], PermissionSet: ['Emu_Broken_Access'] }),
      'objects/Account.object': `<?xml version="1.0" encoding="UTF-8"?><CustomObject ${MD}>${textField('Emu_Valid__c', 10)}${textField('Emu_No_Length__c')}
        <fields><fullName>Emu_Bad_Type__c</fullName><label>Bad Type</label><type>Strng</type></fields>
        <fields><fullName>Emu_Empty_List__c</fullName><label>Empty List</label><type>Picklist</type></fields></CustomObject>`,
      'permissionsets/Emu_Broken_Access.permissionset': permissionSet(['Account.Emu_Missing__c']),
    });
    const result = await conn.metadata.deploy(zip, { rollbackOnError: true }).complete(true);
    assert.equal(result.status, 'Failed');
    assert.equal(result.success, false);
    const failures = messages(result.details?.componentFailures).map((m) => [m.componentType, m.fullName, m.problemType, m.problem]);
    assert.deepEqual(failures, [
      ['CustomField', 'Account.Emu_No_Length__c', 'Error', "Must specify 'length' for a CustomField of type Text"],
      ['CustomField', 'Account.Emu_Bad_Type__c', 'Error', "Error parsing file: 'Strng' is not a valid value for the enum 'FieldType'"],
      ['CustomField', 'Account.Emu_Empty_List__c', 'Error', "Must specify 'valueSet' for a CustomField of type Picklist"],
      ['PermissionSet', 'Emu_Broken_Access', 'Error', 'In field: field - no CustomField named Account.Emu_Missing__c found'],
    ]);
    assert.ok(!(await fieldNames('Account')).has('Emu_Valid__c'), 'all-or-none: nothing is applied');
  });

  it('applies the valid part when rollbackOnError is false', async () => {
    const zip = await zipOf({
      'package.xml': packageXml({ CustomField: ['Account.Emu_Partial_Ok__c', 'Account.Emu_Partial_Bad__c', 'Account.Emu_Not_In_Zip__c'] }),
      'objects/Account.object': `<?xml version="1.0" encoding="UTF-8"?><CustomObject ${MD}>${textField('Emu_Partial_Ok__c', 5)}${textField('Emu_Partial_Bad__c', 300)}</CustomObject>`,
    });
    const result = await conn.metadata.deploy(zip, { rollbackOnError: false }).complete(true);
    assert.equal(result.status, 'SucceededPartial');
    const problems = messages(result.details?.componentFailures).map((m) => m.problem);
    assert.deepEqual(problems, [
      'Length must be between 1 and 255 for a CustomField of type Text',
      "An object 'Account.Emu_Not_In_Zip__c' of type CustomField was named in package.xml, but was not found in zipped directory",
    ]);
    const account = await fieldNames('Account');
    assert.ok(account.has('Emu_Partial_Ok__c'));
    assert.ok(!account.has('Emu_Partial_Bad__c'));
  });

  it('cancels a deploy that has not run yet', async () => {
    setDeployQueueTime(emulator.org, 5_000);
    try {
      const zip = await zipOf({
        'package.xml': packageXml({ CustomField: ['Account.Emu_Canceled__c'] }),
        'objects/Account.object': `<?xml version="1.0" encoding="UTF-8"?><CustomObject ${MD}>${textField('Emu_Canceled__c', 5)}</CustomObject>`,
      });
      const started = await conn.metadata.deploy(zip, { rollbackOnError: true });
      assert.equal(String(started.done), 'false');
      const pending = await conn.metadata.checkDeployStatus(started.id, false);
      assert.equal(pending.status, 'Pending');
      const canceled = await conn.metadata.cancelDeploy(started.id);
      assert.equal(String(canceled.done), 'true');
      const status = await conn.metadata.checkDeployStatus(started.id, true);
      assert.deepEqual([status.status, String(status.done)], ['Canceled', 'true']);
      await assert.rejects(conn.metadata.cancelDeploy('0Af000000000000AAA'), /INVALID_CROSS_REFERENCE_KEY/);
      assert.ok(!(await fieldNames('Account')).has('Emu_Canceled__c'));
    } finally {
      setDeployQueueTime(emulator.org, 5);
    }
  });

  it('answers operations it does not emulate, and bad sessions, with SOAP faults', async () => {
    await assert.rejects(conn.metadata.describe(VERSION), /UNSUPPORTED_API_OPERATION/);
    const response = await fetch(`${emulator.url}/services/Soap/m/${VERSION}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', soapaction: '""' },
      body: `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header><SessionHeader ${MD}><sessionId>00Dbogus!token</sessionId></SessionHeader></soapenv:Header><soapenv:Body><checkDeployStatus ${MD}><asyncProcessId>0Af000000000000AAA</asyncProcessId></checkDeployStatus></soapenv:Body></soapenv:Envelope>`,
    });
    assert.equal(response.status, 500);
    assert.match(await response.text(), /<faultcode>sf:INVALID_SESSION_ID<\/faultcode>/);
  });

  it('creates a custom field through the Tooling API; it appears in describe at once', async () => {
    const created = await conn.tooling.sobject('CustomField').create({
      FullName: 'Opportunity.Emu_Source__c',
      Metadata: { type: 'Text', label: 'Emu Source', length: 50, inlineHelpText: 'Where the deal came from' },
    });
    assert.equal(created.success, true);
    assert.match(String(created.id), /^00N/);
    const field = (await conn.sobject('Opportunity').describe()).fields.find((f) => f.name === 'Emu_Source__c');
    assert.deepEqual([field?.type, field?.length, field?.inlineHelpText], ['string', 50, 'Where the deal came from']);

    const again = conn.tooling.sobject('CustomField').create({ FullName: 'Opportunity.Emu_Source__c', Metadata: { type: 'Text', label: 'Emu Source', length: 50 } });
    await assert.rejects(again, (error: Error & { errorCode?: string }) => {
      assert.equal(error.errorCode, 'DUPLICATE_DEVELOPER_NAME');
      assert.equal(error.message, 'There is already a field named Emu_Source on Opportunity.');
      return true;
    });
    const invalid = conn.tooling.sobject('CustomField').create({ FullName: 'Opportunity.Emu_Flag__c', Metadata: { type: 'Checkbox', label: 'Emu Flag' } });
    await assert.rejects(invalid, /Must specify 'defaultValue' for a CustomField of type Checkbox/);

    const record = (await conn.tooling.sobject('CustomField').retrieve(String(created.id))) as unknown as Record<string, unknown>;
    assert.equal(record.FullName, 'Opportunity.Emu_Source__c');
    assert.equal((record.Metadata as Record<string, unknown>).length, 50);

    const listed = await conn.tooling.query("SELECT Id, DeveloperName FROM CustomField WHERE TableEnumOrId = 'Opportunity'");
    const rows = listed.records as unknown as Array<{ Id: string; DeveloperName: string }>;
    assert.ok(rows.some((r) => r.DeveloperName === 'Emu_Source' && r.Id === created.id));
    await assert.rejects(async () => conn.tooling.query('SELECT Id FROM ApexClass'), /MALFORMED_QUERY/);
  });
});
