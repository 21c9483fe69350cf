// The individual rules behind the checks, each shown failing on a small edit of the real package.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkApiVersion, decodeRecordTypeValue } from '../../scripts/metadata/checks.ts';
import { checkConvertedManifest } from '../../scripts/metadata/manifest-check.ts';
import { parseManifest, parseSources } from '../../scripts/metadata/parse.ts';
import { DEFAULT_DIR, allProblems, check, problemsOf, realFiles, render, withEdit, withFile } from './helpers.ts';

const field = (object: string, name: string) => `${DEFAULT_DIR}/objects/${object}/fields/${name}.field-meta.xml`;
const recordType = (object: string, name: string) => `${DEFAULT_DIR}/objects/${object}/recordTypes/${name}.recordType-meta.xml`;
const INTEGRATION = `${DEFAULT_DIR}/permissionsets/PRM_Integration.permissionset-meta.xml`;
const ADMIN = `${DEFAULT_DIR}/permissionsets/PRM_Admin.permissionset-meta.xml`;

function customField(name: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>${name}</fullName>
    <description>A test field.</description>
    <inlineHelpText>A test field.</inlineHelpText>
    <label>Test Field</label>
${body}
</CustomField>`;
}

function fieldProblems(path: string, text: string): string {
  return render(problemsOf(check(withFile(path, text)), 'elements its type requires'));
}

test('field rules per type: long text needs visibleLines, checkboxes a default, numbers precision and scale', () => {
  const notes = field('Account', 'PRM_Notes__c');
  assert.equal(
    fieldProblems(notes, customField('PRM_Notes__c', '<type>LongTextArea</type><length>32768</length>')),
    `${notes}: LongTextArea field needs <visibleLines> (a whole number, e.g. 3); found none.`,
  );
  assert.equal(fieldProblems(notes, customField('PRM_Notes__c', '<type>LongTextArea</type><length>32768</length><visibleLines>5</visibleLines>')), '');
  assert.equal(
    fieldProblems(notes, customField('PRM_Notes__c', '<type>Number</type><precision>20</precision>')),
    [
      `${notes}: Number field needs <precision> from 1 to 18; found "20".`,
      `${notes}: Number field needs <scale> (digits after the decimal point); found none.`,
    ].join('\n'),
  );
  assert.equal(
    fieldProblems(notes, customField('PRM_Notes__c', '<type>Lookup</type>')),
    [`${notes}: Lookup field needs <referenceTo> (the related object).`, `${notes}: Lookup field needs <relationshipName>.`].join('\n'),
  );
  assert.equal(fieldProblems(notes, customField('PRM_Notes__c', '<type>Formula</type>')).includes('<type>Formula</type> is not a field type this package validates'), true);
  assert.equal(fieldProblems(notes, customField('PRM_Notes__c', '')), `${notes}: needs a <type> (Text, Checkbox, Picklist, DateTime, Url, Email, …).`);

  const sync = field('Account', 'PRM_Sync__c');
  const results = check(withEdit(sync, (text) => text.replace('<defaultValue>false</defaultValue>', '')));
  assert.deepEqual(problemsOf(results, 'elements its type requires'), [
    { file: sync, message: 'Checkbox field needs <defaultValue>true</defaultValue> or <defaultValue>false</defaultValue>; found none.' },
  ]);
  assert.deepEqual(problemsOf(results, 'spec §2'), [{ file: sync, message: 'Account.PRM_Sync__c must default to false (spec §2); found no default.' }]);
});

test('field rules: fixed-size types refuse <length>, only keyable types may be External ID', () => {
  const url = field('Contact', 'PRM_Sys_URL__c');
  assert.equal(
    fieldProblems(url, customField('PRM_Sys_URL__c', '<type>Url</type><length>255</length><externalId>true</externalId>')),
    [
      `${url}: Url field takes no <length> (Salesforce fixes it at 255); remove it.`,
      `${url}: a Url field cannot be an External ID (only Text, Number, Email and Auto Number can).`,
    ].join('\n'),
  );
  const id = field('Contact', 'PRM_Id__c');
  assert.equal(
    fieldProblems(id, customField('PRM_Id__c', '<type>Text</type><length>300</length><caseSensitive>false</caseSensitive><unique>yes</unique>')),
    [
      `${id}: <unique> must be true or false; found "yes".`,
      `${id}: Text field <length> must be a whole number from 1 to 255; found "300".`,
      `${id}: <caseSensitive> only applies to Unique fields; remove it or set <unique>true</unique>.`,
    ].join('\n'),
  );
});

test('field rules: picklist values must be unique, labelled, with at most one default', () => {
  const owner = field('Opportunity', 'PRM_Deal_Owner_Type__c');
  const results = check(
    withEdit(owner, (text) =>
      text.replace('<fullName>Distributor-Owned</fullName>', '<fullName>partner-owned</fullName>').replace('<default>false</default>', '<default>true</default>'),
    ),
  );
  assert.deepEqual(problemsOf(results, 'elements its type requires'), [
    { file: owner, message: 'picklist value "partner-owned" appears twice.' },
    { file: owner, message: '2 picklist values are marked default; at most one may be.' },
  ]);
});

test('field names: the file name is the API name, and fullName must agree with it', () => {
  const path = field('Account', 'PRM_Sys_URL__c');
  const results = check(withEdit(path, (text) => text.replace('<fullName>PRM_Sys_URL__c</fullName>', '<fullName>PRM_Url__c</fullName>')));
  assert.deepEqual(problemsOf(results, 'elements its type requires'), [
    { file: path, message: '<fullName>PRM_Url__c</fullName> does not match the file name (PRM_Sys_URL__c); the sf CLI uses the file name.' },
  ]);
  const bad = field('Account', 'PRM__Bad__c');
  assert.match(fieldProblems(bad, customField('PRM__Bad__c', '<type>Date</type>')), /"PRM__Bad__c" is not a valid custom field API name/);
});

test('spec §2 drift: a lost External ID flag, a changed default, an unrestricted picklist', () => {
  const dealId = field('Opportunity', 'PRM_Deal_Id__c');
  assert.deepEqual(problemsOf(check(withEdit(dealId, (t) => t.replace('<externalId>true</externalId>', '<externalId>false</externalId>'))), 'spec §2'), [
    { file: dealId, message: 'Opportunity.PRM_Deal_Id__c must be an External ID (<externalId>true</externalId>): prm-sync upserts on it.' },
  ]);
  assert.deepEqual(problemsOf(check(withEdit(dealId, (t) => t.replace('<caseSensitive>false</caseSensitive>', '<caseSensitive>true</caseSensitive>'))), 'spec §2'), [
    { file: dealId, message: 'Opportunity.PRM_Deal_Id__c must be case-insensitive (<caseSensitive>false</caseSensitive>) so ids differing only in case collide.' },
  ]);
  const contactSync = field('Contact', 'PRM_Sync__c');
  assert.deepEqual(problemsOf(check(withEdit(contactSync, (t) => t.replace('<defaultValue>true</defaultValue>', '<defaultValue>false</defaultValue>'))), 'spec §2'), [
    { file: contactSync, message: 'Contact.PRM_Sync__c must default to true (spec §2); found false.' },
  ]);
  const status = field('Account', 'PRM_Partner_Status__c');
  assert.deepEqual(problemsOf(check(withEdit(status, (t) => t.replace('<restricted>true</restricted>', '<restricted>false</restricted>'))), 'spec §2'), [
    { file: status, message: 'Account.PRM_Partner_Status__c must be a restricted picklist (<restricted>true</restricted>) so only the listed values can be stored.' },
  ]);
  const owner = field('Opportunity', 'PRM_Deal_Owner_Type__c');
  assert.deepEqual(problemsOf(check(withEdit(owner, (t) => t.replace('<default>true</default>', '<default>false</default>'))), 'spec §2'), [
    { file: owner, message: 'Opportunity.PRM_Deal_Owner_Type__c must have "Partner-Owned" as its default value (spec §2); found none.' },
  ]);
});

test('record types: unknown picklists and values, names, and the Opportunity business process', () => {
  const partner = recordType('Account', 'Partner_Account');
  const unknownValue = check(withEdit(partner, (t) => t.replace('Reseller%2C Inactive', 'Reseller%2C Gold')));
  assert.deepEqual(problemsOf(unknownValue, 'record types'), [
    { file: partner, message: `offers "Reseller, Gold" for Account.PRM_Partner_Status__c, which is not one of its values (${field('Account', 'PRM_Partner_Status__c')}).` },
  ]);
  const unknownPicklist = check(withEdit(partner, (t) => t.replace('<picklist>PRM_Partner_Status__c</picklist>', '<picklist>PRM_Tier__c</picklist>')));
  assert.deepEqual(problemsOf(unknownPicklist, 'record types'), [
    { file: partner, message: 'names picklist Account.PRM_Tier__c, which is neither a picklist in force-app nor a standard picklist in middleware/salesforce/fields.ts.' },
  ]);
  const notPicklist = check(withEdit(partner, (t) => t.replace('<picklist>PRM_Partner_Status__c</picklist>', '<picklist>PRM_Sync__c</picklist>')));
  assert.deepEqual(problemsOf(notPicklist, 'record types'), [{ file: partner, message: 'names Account.PRM_Sync__c as a picklist, but it is a Checkbox.' }]);

  const deal = recordType('Opportunity', 'Partner_Deal');
  const dealText = `<?xml version="1.0" encoding="UTF-8"?>
<RecordType xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Partner_Deals</fullName>
    <active>true</active>
    <label>Partner Deal</label>
</RecordType>`;
  assert.deepEqual(problemsOf(check(withFile(deal, dealText)), 'record types'), [
    { file: deal, message: '<fullName>Partner_Deals</fullName> does not match the file name (Partner_Deal).' },
    { file: deal, message: 'an Opportunity record type needs a <businessProcess> (the sales process it follows).' },
  ]);
});

test('permission sets: required fields, address parts, parent-controlled objects, permission dependencies', () => {
  const edited = withEdit(ADMIN, (text) =>
    text.replace(
      '    <hasActivationRequired>',
      `    <fieldPermissions><editable>false</editable><field>Account.Name</field><readable>true</readable></fieldPermissions>
    <fieldPermissions><editable>true</editable><field>Account.BillingCity</field><readable>true</readable></fieldPermissions>
    <fieldPermissions><editable>true</editable><field>Contact.Email</field><readable>false</readable></fieldPermissions>
    <fieldPermissions><editable>false</editable><field>Lead.Company</field><readable>true</readable></fieldPermissions>
    <objectPermissions><allowCreate>false</allowCreate><allowDelete>true</allowDelete><allowEdit>false</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>OpportunityContactRole</object><viewAllRecords>false</viewAllRecords></objectPermissions>
    <recordTypeVisibilities><default>true</default><recordType>Contact.Distributor_Contact</recordType><visible>true</visible></recordTypeVisibilities>
    <hasActivationRequired>`,
    ),
  );
  assert.deepEqual(
    problemsOf(check(edited), 'permission sets name existing').map((p) => p.message),
    [
      'Account.Name is required on every record, and Salesforce refuses field permissions on required fields.',
      'Account.BillingCity is part of BillingAddress; grant Account.BillingAddress instead.',
      'Contact.Email is editable but not readable; edit access needs read access.',
      'names field Lead.Company, which is neither a field in force-app nor a standard field in middleware/salesforce/fields.ts.',
      'grants object permissions on OpportunityContactRole, whose access follows its Opportunity; remove the entry and grant Opportunity instead.',
      'OpportunityContactRole: allowDelete needs allowEdit.',
      'makes record type "Contact.Distributor_Contact" visible, which does not exist in force-app.',
      'record type Contact.Distributor_Contact: <default> is only valid in profiles; permission sets cannot set a default record type.',
    ],
  );
  assert.ok(problemsOf(check(edited), 'permission sets name existing').every((p) => p.file === ADMIN));
});

test('PRM_Integration must create accounts and contacts, see the record types and read the standard fields used', () => {
  const edited = withEdit(INTEGRATION, (text) =>
    text
      .replace(/<allowCreate>true<\/allowCreate>(\s*<allowDelete>false<\/allowDelete>\s*<allowEdit>true<\/allowEdit>\s*<allowRead>true<\/allowRead>\s*<modifyAllRecords>false<\/modifyAllRecords>\s*<object>Account<\/object>)/, '<allowCreate>false</allowCreate>$1')
      .replace(/\s*<recordTypeVisibilities>\s*<recordType>Contact\.Partner_Contact<\/recordType>\s*<visible>true<\/visible>\s*<\/recordTypeVisibilities>/, '')
      .replace(/\s*<fieldPermissions>\s*<editable>true<\/editable>\s*<field>Account\.Website<\/field>\s*<readable>true<\/readable>\s*<\/fieldPermissions>/, ''),
  );
  assert.deepEqual(problemsOf(check(edited), 'PRM_Integration grants'), [
    { file: INTEGRATION, message: 'must grant allowCreate on Account; prm-sync needs it to sync Account records.' },
    { file: INTEGRATION, message: 'must make record type Contact.Partner_Contact visible; prm-sync assigns it to records it creates.' },
    { file: INTEGRATION, message: 'must grant read on Account.Website; the middleware reads it (middleware/salesforce/fields.ts).' },
  ]);
  const readOnly = withEdit(INTEGRATION, (t) => t.replace(/<editable>true<\/editable>(\s*<field>Contact\.PRM_Id__c<\/field>)/, '<editable>false</editable>$1'));
  assert.deepEqual(problemsOf(check(readOnly), 'PRM_Integration grants'), [
    { file: INTEGRATION, message: 'grants Contact.PRM_Id__c read-only; the integration user must also edit it.' },
  ]);
});

test('file structure: namespace, root element, one root, location', () => {
  const path = field('Account', 'PRM_Sys_URL__c');
  const noNamespace = check(withEdit(path, (t) => t.replace(' xmlns="http://soap.sforce.com/2006/04/metadata"', '')));
  assert.deepEqual(problemsOf(noNamespace, 'XML file parses'), [
    { file: path, message: '<CustomField> must declare xmlns="http://soap.sforce.com/2006/04/metadata"; found no namespace.' },
  ]);
  const wrongRoot = check(withEdit(path, (t) => t.replaceAll('CustomField', 'CustomObject')));
  assert.deepEqual(problemsOf(wrongRoot, 'XML file parses'), [
    { file: path, message: 'root element is <CustomObject>; a file named *.field-meta.xml must hold <CustomField>.' },
  ]);
  const twoRoots = check(withEdit(path, (t) => `${t}\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata"/>`));
  assert.deepEqual(problemsOf(twoRoots, 'XML file parses'), [{ file: path, message: 'XML must have exactly one root element; found CustomField.' }]);
  const misplaced = `${DEFAULT_DIR}/objects/Account/PRM_Extra__c.field-meta.xml`;
  assert.deepEqual(problemsOf(check(withFile(misplaced, '<CustomField/>')), 'XML file parses'), [
    { file: misplaced, message: 'a CustomField file must sit in objects/<Object>/fields/; the sf CLI would not find it here.' },
  ]);
  assert.equal(render(allProblems(check(withFile(`${DEFAULT_DIR}/readme.txt`, 'not xml')))), '');
  // sf project convert source fails on a comment ahead of a field's or record type's root element.
  const commented = check(withEdit(path, (t) => t.replace('?>\n', '?>\n<!-- managed by prm-sync -->\n')));
  assert.deepEqual(problemsOf(commented, 'XML file parses'), [
    { file: path, message: 'a comment before <CustomField> makes sf project convert source fail ("Invalid XML tags"); move it inside the element or remove it.' },
  ]);
});

test('sourceApiVersion must equal the middleware constant; sfdx-project.json must name force-app', () => {
  assert.deepEqual(checkApiVersion('{"sourceApiVersion":"61.0","packageDirectories":[{"path":"force-app","default":true}]}', '62.0'), [
    { file: 'sfdx-project.json', message: 'sourceApiVersion is "61.0"; it must equal SALESFORCE_API_VERSION "62.0" in middleware/salesforce/api-version.ts.' },
  ]);
  assert.deepEqual(checkApiVersion('{"sourceApiVersion":"62.0","packageDirectories":[{"path":"src"}]}', '62.0'), [
    { file: 'sfdx-project.json', message: 'packageDirectories must list { "path": "force-app", "default": true }.' },
  ]);
  assert.deepEqual(checkApiVersion(undefined, '62.0'), [{ file: 'sfdx-project.json', message: 'is missing; the sf CLI needs it at the project root.' }]);
  assert.match(checkApiVersion('{ nope', '62.0')[0]?.message ?? '', /^is not valid JSON: /);
  assert.deepEqual(problemsOf(check(realFiles, '{"sourceApiVersion":"60.0","packageDirectories":[{"path":"force-app","default":true}]}'), 'sourceApiVersion'), [
    { file: 'sfdx-project.json', message: 'sourceApiVersion is "60.0"; it must equal SALESFORCE_API_VERSION "62.0" in middleware/salesforce/api-version.ts.' },
  ]);
});

test('the converted package.xml must list every component the source holds', () => {
  const bundle = parseSources(realFiles);
  const manifest = parseManifest(`<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://soap.sforce.com/2006/04/metadata">
    <types>${bundle.fields.filter((f) => f.name !== 'PRM_Deal_Id__c').map((f) => `<members>${f.object}.${f.name}</members>`).join('')}<name>CustomField</name></types>
    <types><members>PRM_Admin</members><members>PRM_Integration</members><name>PermissionSet</name></types>
    <types><members>Account.Distributor_Account</members><members>Account.Partner_Account</members><members>Contact.Partner_Contact</members><name>RecordType</name></types>
    <version>61.0</version>
</Package>`);
  assert.deepEqual(checkConvertedManifest(manifest, bundle, '62.0'), [
    { file: 'package.xml (written by sf project convert source)', message: 'has version 61.0; expected 62.0 from sfdx-project.json.' },
    {
      file: field('Opportunity', 'PRM_Deal_Id__c'),
      message: 'the sf CLI did not convert it: package.xml lists no CustomField Opportunity.PRM_Deal_Id__c. Check its folder and .forceignore.',
    },
  ]);
  assert.match(checkConvertedManifest(parseManifest('<Package>'), bundle, '62.0')[0]?.message ?? '', /^cannot be read: XML does not parse/);
});

test('record type picklist values are compared URL-decoded, as Salesforce stores them', () => {
  assert.equal(decodeRecordTypeValue('Reseller%2C Active'), 'Reseller, Active');
  assert.equal(decodeRecordTypeValue('100%'), '100%');
});
