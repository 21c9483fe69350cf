// Describe results for the settings tests: the real recordings in ../shared/data/salesforce-describe,
// with the companion package deployed on top — its PRM_ fields (from middleware/salesforce/fields.ts) and
// record types — the way a real org would describe them after `sf project deploy start`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fieldsOf, RECORD_TYPES, type SalesforceFieldSpec } from '../../middleware/salesforce/fields.ts';
import type { DescribeField, Describes, SObjectDescribe } from '../../middleware/settings/describe.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const recordings = path.resolve(here, '../../../shared/data/salesforce-describe');

export function recordedDescribe(objectName: 'Account' | 'Contact' | 'Opportunity'): SObjectDescribe {
  const describe = JSON.parse(readFileSync(path.join(recordings, `${objectName}.describe.json`), 'utf8')) as SObjectDescribe;
  // Hand-made by the recording's authors (see the folder's README); no real org has it.
  describe.fields = describe.fields.filter((field) => field.name !== 'Primary_Contact__c');
  return describe;
}

/** A describe entry for a package field, with the flags Salesforce reports for a custom field. */
export function customFieldDescribe(spec: SalesforceFieldSpec): DescribeField {
  const boolean = spec.type === 'boolean';
  return {
    name: spec.name,
    label: spec.name.replace(/__c$/, '').replace(/_/g, ' '),
    type: spec.type,
    length: spec.length ?? (spec.type === 'picklist' ? 255 : 0),
    createable: true,
    updateable: true,
    nillable: !boolean,
    defaultedOnCreate: boolean,
    calculated: false,
    externalId: spec.externalId === true,
    idLookup: spec.externalId === true,
    unique: spec.externalId === true,
    picklistValues: (spec.values ?? []).map((value, index) => ({ value, label: value, active: true, defaultValue: index === 0 && spec.name === 'PRM_Deal_Owner_Type__c' })),
    restrictedPicklist: spec.type === 'picklist',
  };
}

/** The recorded describe with the companion package's fields and record types added. */
export function packagedDescribe(objectName: 'Account' | 'Contact' | 'Opportunity'): SObjectDescribe {
  const describe = recordedDescribe(objectName);
  for (const spec of fieldsOf(objectName).filter((field) => field.name.startsWith('PRM_'))) describe.fields.push(customFieldDescribe(spec));
  const recordTypes = Object.values(RECORD_TYPES).filter((recordType) => recordType.object === objectName);
  recordTypes.forEach((recordType, index) => {
    describe.recordTypeInfos = [
      ...(describe.recordTypeInfos ?? []),
      { name: recordType.developerName.replace(/_/g, ' '), developerName: recordType.developerName, active: true, available: true, master: false, recordTypeId: `0125g00000${String(index).padStart(5, '0')}AAA` },
    ];
  });
  return describe;
}

export function packagedDescribes(): Describes {
  return { Account: packagedDescribe('Account'), Contact: packagedDescribe('Contact'), Opportunity: packagedDescribe('Opportunity') };
}

/** Changes one field of one describe in place (e.g. to make it read-only). */
export function editField(describes: Describes, objectName: string, fieldName: string, change: Partial<DescribeField>): void {
  const field = describes[objectName]?.fields.find((entry) => entry.name === fieldName);
  if (!field) throw new Error(`${objectName}.${fieldName} is not in the describe`);
  Object.assign(field, change);
}
