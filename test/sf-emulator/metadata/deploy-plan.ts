// Decides, component by component, what a deploy would do to the org: the checks that need the org's
// schema (does the object exist, does the permission set name real fields, are the record type's
// picklist values in the picklist) on top of each component's own problems. Reads the org, never writes.
import type { EmulatorOrg } from '../contracts.ts';
import { INVALID_DEVELOPER_NAME } from './custom-field.ts';
import type { ComponentSpec } from './deploy-package.ts';

export interface ComponentOutcome {
  spec: ComponentSpec;
  problems: string[];
  created: boolean;
  changed: boolean;
}

interface DescribeField {
  name: string;
  type: string;
  nillable?: boolean;
  createable?: boolean;
  defaultedOnCreate?: boolean;
  picklistValues?: Array<{ value: string }>;
}

export function planDeploy(
  specs: ComponentSpec[],
  org: Pick<EmulatorOrg, 'describe' | 'resolveObjectName'>,
  existingPermissionSets: ReadonlySet<string> = new Set(),
): ComponentOutcome[] {
  const schema = new SchemaView(org);
  const failedObjects = new Set(specs.filter((s) => s.componentType === 'CustomObject' && s.problems.length > 0).map((s) => s.fullName));
  // Fields deployed alongside may be named by record types and permission sets in the same package.
  const packageFields = new Map<string, ComponentSpec>();
  for (const spec of specs) {
    if (spec.componentType === 'CustomField' && spec.problems.length === 0) packageFields.set(spec.fullName.toLowerCase(), spec);
  }

  return specs.map((spec) => {
    const problems = [...spec.problems];
    let created = false;
    let changed = true;
    const objectName = spec.objectName === undefined ? undefined : org.resolveObjectName(spec.objectName);
    if (spec.objectName !== undefined && problems.length === 0) {
      if (spec.componentType !== 'CustomObject' && failedObjects.has(spec.objectName)) problems.push('Parent entity failed to deploy');
      else if (!objectName) problems.push(missingObject(spec.objectName));
    }
    if (problems.length === 0 && objectName) {
      if (spec.componentType === 'CustomObject') {
        changed = false;
      } else if (spec.componentType === 'CustomField') {
        const fieldName = spec.fullName.slice(spec.fullName.indexOf('.') + 1);
        const existing = schema.field(objectName, fieldName);
        created = !existing;
        const referenceTo = spec.field?.referenceTo;
        if (referenceTo && !org.resolveObjectName(referenceTo)) problems.push(`In field: referenceTo - no CustomObject named ${referenceTo} found`);
        // A standard field in an object file is accepted when the object has it, and left as it is.
        if (spec.standardField) {
          if (existing) changed = false;
          else problems.push(`The Field Name field ${INVALID_DEVELOPER_NAME}`);
        }
      } else if (spec.componentType === 'RecordType' && spec.recordType) {
        created = !schema.recordTypeNames(objectName).has(spec.recordType.developerName.toLowerCase());
        for (const { picklist, values } of spec.recordType.picklistValues) {
          const allowed = schema.picklistValues(objectName, picklist, packageFields);
          if (!allowed) {
            problems.push(`In field: picklist - no CustomField named ${objectName}.${picklist} found`);
            continue;
          }
          for (const value of values) {
            if (!allowed.has(value)) problems.push(`Picklist value: ${value} in picklist: ${picklist} not found`);
          }
        }
      }
    }
    if (problems.length === 0 && spec.permissionSet) {
      created = !existingPermissionSets.has(spec.permissionSet.name);
      for (const { field } of spec.permissionSet.fieldPermissions) {
        const [object = '', name = ''] = field.split('.');
        const canonicalObject = org.resolveObjectName(object);
        const described = canonicalObject ? schema.field(canonicalObject, name) : undefined;
        if (!described && !packageFields.has(field.toLowerCase())) problems.push(`In field: field - no CustomField named ${field} found`);
        else if (described && isRequired(described)) problems.push(`You cannot deploy to a required field: ${field}`);
      }
      for (const { object } of spec.permissionSet.objectPermissions) {
        if (!org.resolveObjectName(object)) problems.push(`In field: object - no CustomObject named ${object} found`);
      }
    }
    return { spec, problems, created: problems.length === 0 && created, changed: problems.length === 0 && changed };
  });
}

function missingObject(name: string): string {
  return name.endsWith('__c')
    ? `The org emulator cannot create custom objects: no CustomObject named ${name} found`
    : `In field: fullName - no CustomObject named ${name} found`;
}

function isRequired(field: DescribeField): boolean {
  return field.nillable === false && field.createable === true && field.defaultedOnCreate === false && field.type !== 'boolean';
}

/** Case-insensitive lookups over describe results, cached for one plan. */
class SchemaView {
  private readonly fields = new Map<string, Map<string, DescribeField>>();
  constructor(private readonly org: Pick<EmulatorOrg, 'describe'>) {}

  field(objectName: string, fieldName: string): DescribeField | undefined {
    let byName = this.fields.get(objectName);
    if (!byName) {
      const described = (this.org.describe(objectName)?.fields ?? []) as DescribeField[];
      byName = new Map(described.map((f) => [f.name.toLowerCase(), f]));
      this.fields.set(objectName, byName);
    }
    return byName.get(fieldName.toLowerCase());
  }

  recordTypeNames(objectName: string): Set<string> {
    const infos = (this.org.describe(objectName)?.recordTypeInfos ?? []) as Array<{ developerName?: string }>;
    return new Set(infos.map((i) => (i.developerName ?? '').toLowerCase()));
  }

  /** The values a picklist offers: from the package when it deploys the field, else from describe. */
  picklistValues(objectName: string, picklist: string, packageFields: Map<string, ComponentSpec>): Set<string> | undefined {
    const fromPackage = packageFields.get(`${objectName}.${picklist}`.toLowerCase())?.field?.picklist;
    if (fromPackage) return new Set(fromPackage.values.map((v) => v.value));
    const described = this.field(objectName, picklist);
    if (!described || !['picklist', 'multipicklist'].includes(described.type)) return undefined;
    return new Set((described.picklistValues ?? []).map((v) => v.value));
  }
}
