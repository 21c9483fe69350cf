// Tooling API, the part an admin's "New Field" needs: create a CustomField (it shows in describe at
// once), read it back by id, and list an object's custom fields with a simple Tooling query.
import type { EmulatorOrg, EmulatorReply, EmulatorRequest, RouteModule } from '../contracts.ts';
import { SoqlError } from '../contracts.ts';
import { customFieldFromMetadata, isRecord } from '../metadata/custom-field.ts';
import { customFieldId, registeredField, saveCustomField } from '../metadata/field-registry.ts';
import type { RegisteredField } from '../metadata/field-registry.ts';
import { parseCustomFieldQuery } from './custom-field-query.ts';

function errorReply(status: number, errorCode: string, message: string, fields: string[] = []): EmulatorReply {
  return { status, body: [{ message, errorCode, fields }] };
}

function createCustomField(request: EmulatorRequest, org: EmulatorOrg): EmulatorReply {
  const body = request.json;
  if (!isRecord(body)) return errorReply(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object with FullName and Metadata');
  const fullName = typeof body.FullName === 'string' ? body.FullName.trim() : '';
  const dot = fullName.indexOf('.');
  if (dot <= 0 || dot === fullName.length - 1) {
    return errorReply(400, 'REQUIRED_FIELD_MISSING', "Required fields are missing: [FullName] (as 'Object.Field__c')", ['FullName']);
  }
  if (!isRecord(body.Metadata)) return errorReply(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Metadata]', ['Metadata']);
  const objectName = org.resolveObjectName(fullName.slice(0, dot));
  if (!objectName) {
    return errorReply(400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `Entity Enumeration Or ID: bad value for restricted picklist field: ${fullName.slice(0, dot)}`, ['TableEnumOrId']);
  }
  const fieldName = fullName.slice(dot + 1);
  const converted = customFieldFromMetadata({ ...body.Metadata, fullName: fieldName });
  if (!converted.ok) {
    return { status: 400, body: converted.problems.map((message) => ({ message, errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: [] })) };
  }
  const fields = (org.describe(objectName)?.fields ?? []) as Array<{ name: string }>;
  if (fields.some((f) => f.name.toLowerCase() === fieldName.toLowerCase())) {
    const developerName = fieldName.replace(/__c$/, '');
    return errorReply(400, 'DUPLICATE_DEVELOPER_NAME', `There is already a field named ${developerName} on ${objectName}.`);
  }
  const saved = saveCustomField(org, objectName, converted.field);
  return { status: 201, body: { id: saved.id, success: true, errors: [], warnings: [], infos: [] } };
}

function readCustomField(request: EmulatorRequest, org: EmulatorOrg): EmulatorReply {
  const field = registeredField(org, request.params.id ?? '');
  if (!field) return errorReply(404, 'NOT_FOUND', 'The requested resource does not exist');
  const { fullName: _short, picklist, ...attributes } = field.definition;
  const metadata: Record<string, unknown> = { ...attributes };
  if (picklist) {
    metadata.valueSet = {
      restricted: picklist.restricted,
      valueSetDefinition: { sorted: false, value: picklist.values.map((v) => ({ fullName: v.value, label: v.label ?? v.value, default: v.default ?? false })) },
    };
  }
  return { status: 200, body: { ...toolingRecord(field, request.params.version ?? ''), Metadata: metadata } };
}

function toolingRecord(field: RegisteredField, version: string): Record<string, unknown> {
  return {
    attributes: { type: 'CustomField', url: `/services/data/${version}/tooling/sobjects/CustomField/${field.id}` },
    Id: field.id,
    DeveloperName: field.definition.fullName.replace(/__c$/, ''),
    TableEnumOrId: field.objectName,
    NamespacePrefix: null,
    FullName: `${field.objectName}.${field.definition.fullName}`,
    Description: field.definition.description ?? null,
    InlineHelpText: field.definition.inlineHelpText ?? null,
    CreatedDate: sfDate(field.createdDate),
    LastModifiedDate: sfDate(field.lastModifiedDate),
  };
}

function queryCustomFields(request: EmulatorRequest, org: EmulatorOrg): EmulatorReply {
  const soql = request.query.get('q');
  if (!soql) return errorReply(400, 'MALFORMED_QUERY', 'The q parameter is required');
  try {
    const query = parseCustomFieldQuery(soql);
    const objectName = org.resolveObjectName(query.tableEnumOrId);
    const version = request.params.version ?? '';
    const described = objectName ? ((org.describe(objectName)?.fields ?? []) as Array<{ name: string; custom?: boolean; inlineHelpText?: string | null }>) : [];
    let records = described
      .filter((f) => f.custom ?? f.name.endsWith('__c'))
      .map((f) => {
        const registered = registeredField(org, customFieldId(objectName as string, f.name));
        const stub: RegisteredField = registered ?? {
          id: customFieldId(objectName as string, f.name),
          objectName: objectName as string,
          definition: { fullName: f.name, type: '', ...(f.inlineHelpText ? { inlineHelpText: f.inlineHelpText } : {}) },
          createdDate: new Date(0),
          lastModifiedDate: new Date(0),
        };
        return toolingRecord(stub, version);
      })
      .filter((r) => query.developerName === undefined || String(r.DeveloperName).toLowerCase() === query.developerName.toLowerCase())
      .filter((r) => query.id === undefined || String(r.Id).slice(0, 15) === query.id.slice(0, 15));
    if (query.limit !== undefined) records = records.slice(0, query.limit);
    const projected = records.map((r) => {
      const out: Record<string, unknown> = { attributes: r.attributes };
      for (const column of query.columns) out[column] = r[column];
      return out;
    });
    return {
      status: 200,
      body: { size: projected.length, totalSize: projected.length, done: true, queryLocator: null, entityTypeName: 'CustomField', records: projected },
    };
  } catch (error) {
    if (error instanceof SoqlError) return errorReply(400, error.errorCode, error.message);
    throw error;
  }
}

/** Salesforce's datetime format: millisecond precision and a +0000 offset. */
function sfDate(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

export const toolingRoutes: RouteModule = {
  name: 'tooling',
  routes: [
    { method: 'POST', pattern: '/services/data/:version/tooling/sobjects/CustomField', handler: createCustomField },
    { method: 'GET', pattern: '/services/data/:version/tooling/sobjects/CustomField/:id', handler: readCustomField },
    { method: 'GET', pattern: '/services/data/:version/tooling/query', handler: queryCustomFields },
  ],
};
