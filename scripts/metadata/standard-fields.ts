// The standard Salesforce fields the package may reference (in permission sets and record types): those
// the middleware uses, from middleware/salesforce/fields.ts, plus the compound fields they belong to.
// Also the Salesforce rules on which of them field-level security applies to.
import { SALESFORCE_FIELDS, isPrmCustomField } from '../../middleware/salesforce/fields.ts';
import type { SalesforceFieldSpec } from '../../middleware/salesforce/fields.ts';

export interface StandardField {
  readonly object: string;
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly compoundField?: string;
}

/** Object → field name → field. */
export type StandardFieldIndex = ReadonlyMap<string, ReadonlyMap<string, StandardField>>;

// System fields and the record type are always visible to anyone who can read the record: Salesforce
// rejects field permissions on them.
const WITHOUT_FIELD_SECURITY = new Set([
  'Id',
  'IsDeleted',
  'SystemModstamp',
  'RecordTypeId',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
]);

/**
 * Objects whose record access follows a parent record, so permission sets carry no object permissions
 * for them (the Salesforce API applies the parent Opportunity's access to OpportunityContactRole).
 */
export const PARENT_CONTROLLED_OBJECTS: Readonly<Record<string, string>> = { OpportunityContactRole: 'Opportunity' };

/** Builds the index from the middleware's field registry (custom PRM_ fields are left to force-app). */
export function standardFieldsFromRegistry(registry: Readonly<Record<string, Readonly<Record<string, SalesforceFieldSpec>>>> = SALESFORCE_FIELDS): StandardFieldIndex {
  const index = new Map<string, Map<string, StandardField>>();
  for (const [object, fields] of Object.entries(registry)) {
    const byName = new Map<string, StandardField>();
    for (const spec of Object.values(fields)) {
      if (isPrmCustomField(spec.name)) continue;
      byName.set(spec.name, {
        object,
        name: spec.name,
        type: spec.type,
        required: spec.required === true,
        ...(spec.compoundField ? { compoundField: spec.compoundField } : {}),
      });
      // An address compound (BillingAddress) is what field-level security is granted on.
      if (spec.compoundField?.endsWith('Address') && !byName.has(spec.compoundField)) {
        byName.set(spec.compoundField, { object, name: spec.compoundField, type: 'address', required: false });
      }
    }
    index.set(object, byName);
  }
  return index;
}

/** Why Salesforce would refuse a field permission on this standard field, or undefined if it takes one. */
export function fieldSecurityRefusal(field: StandardField): string | undefined {
  const qualified = `${field.object}.${field.name}`;
  if (PARENT_CONTROLLED_OBJECTS[field.object]) {
    return `${qualified}: access to ${field.object} follows its ${PARENT_CONTROLLED_OBJECTS[field.object]}; it takes no field permissions.`;
  }
  if (WITHOUT_FIELD_SECURITY.has(field.name)) return `${qualified} is a system field without field-level security; remove the entry.`;
  if (field.required) return `${qualified} is required on every record, and Salesforce refuses field permissions on required fields.`;
  if (field.compoundField?.endsWith('Address')) return `${qualified} is part of ${field.compoundField}; grant ${field.object}.${field.compoundField} instead.`;
  if (field.compoundField) return `${qualified} is part of the ${field.compoundField} compound, which has no field-level security of its own.`;
  return undefined;
}
