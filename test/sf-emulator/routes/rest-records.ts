// Single-record REST: create (POST sobjects/T), retrieve/update/delete (sobjects/T/Id), upsert and
// lookup by external id (sobjects/T/Field/value), and the replication resources `updated`/`deleted`.
import type { EmulatorReply, EmulatorRequest, RouteModule, SaveResult, SfErrorItem, SObjectValues } from '../contracts.ts';
import { canonicalId } from '../core/ids.ts';
import { formatDateTime, parseDateTime } from '../core/time.ts';
import { errorReply, notFound, requireJsonObject, saveErrorReply } from '../http/replies.ts';
import type { ObjectSchema } from '../schema/object-schema.ts';
import { asRecord, recordBodyProblem } from './record-input.ts';
import { versionOf, type RouteContext } from './context.ts';

const REPLICATION_WINDOW_DAYS = { updated: 30, deleted: 15 };

/** Status for a failed single-record write: 404 for unknown or deleted records, 400 otherwise. */
function failureStatus(errors: SfErrorItem[]): number {
  const code = errors[0]?.statusCode;
  return code === 'ENTITY_IS_DELETED' || code === 'NOT_FOUND' ? 404 : 400;
}

function failed(result: SaveResult): EmulatorReply {
  const errors = result.errors.map((e) => (e.statusCode === 'INVALID_CROSS_REFERENCE_KEY' && e.fields.length === 0 ? { ...e, statusCode: 'NOT_FOUND', message: 'The requested resource does not exist' } : e));
  return saveErrorReply(failureStatus(errors), errors);
}

function body(request: EmulatorRequest, schema: ObjectSchema): { values: SObjectValues } | { reply: EmulatorReply } {
  const problem = requireJsonObject(request);
  if (problem) return { reply: problem };
  const values = asRecord(request.json);
  if (!values) return { reply: errorReply(400, 'JSON_PARSER_ERROR', 'Cannot deserialize instance of sObject from START_ARRAY value [') };
  const bad = recordBodyProblem(schema, values);
  return bad ? { reply: bad } : { values };
}

function injected(ctx: RouteContext, objectName: string, operation: string, values?: SObjectValues): EmulatorReply | undefined {
  const error = ctx.faults.recordFailure({ objectName, api: 'rest', operation, values });
  return error ? saveErrorReply(400, [error]) : undefined;
}

function create(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const schema = ctx.org.schema(request.params.object ?? '');
  if (!schema) return notFound();
  const parsed = body(request, schema);
  if ('reply' in parsed) return parsed.reply;
  const fault = injected(ctx, schema.name, 'insert', parsed.values);
  if (fault) return fault;
  const { attributes: _attributes, ...values } = parsed.values;
  const result = ctx.org.create(schema.name, values, request.userId);
  return result.success ? { status: 201, body: { id: result.id, success: true, errors: [] } } : failed(result);
}

/** The record behind `sobjects/T/<id>`, or the reply for an id Salesforce would not find. */
function locate(ctx: RouteContext, schema: ObjectSchema, rawId: string, forWrite: boolean): { id: string } | { reply: EmulatorReply } {
  const id = canonicalId(rawId);
  if (!id) return { reply: errorReply(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${rawId}`) };
  if (!id.startsWith(schema.keyPrefix)) return { reply: errorReply(400, 'MALFORMED_ID', `${schema.label} ID: id value of incorrect type: ${rawId}`, ['Id']) };
  const row = ctx.org.row(schema.name, id);
  if (!row) return { reply: notFound() };
  if (row.IsDeleted === true) return { reply: forWrite ? errorReply(404, 'ENTITY_IS_DELETED', 'entity is deleted') : notFound() };
  return { id };
}

function retrieve(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const schema = ctx.org.schema(request.params.object ?? '');
  if (!schema) return notFound();
  const located = locate(ctx, schema, request.params.id ?? '', false);
  if ('reply' in located) return located.reply;
  const fields = request.query.get('fields')?.split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = fields?.find((f) => !schema.field(f));
  if (unknown) return errorReply(400, 'INVALID_FIELD', `No such column '${unknown}' on entity '${schema.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
  return { status: 200, body: ctx.org.retrieve(schema.name, located.id, fields, versionOf(request)) };
}

function update(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const schema = ctx.org.schema(request.params.object ?? '');
  if (!schema) return notFound();
  const located = locate(ctx, schema, request.params.id ?? '', true);
  if ('reply' in located) return located.reply;
  const parsed = body(request, schema);
  if ('reply' in parsed) return parsed.reply;
  const fault = injected(ctx, schema.name, 'update', parsed.values);
  if (fault) return fault;
  const { attributes: _attributes, Id: _id, ...values } = parsed.values;
  const result = ctx.org.update(schema.name, located.id, values, request.userId);
  return result.success ? { status: 204 } : failed(result);
}

function remove(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const schema = ctx.org.schema(request.params.object ?? '');
  if (!schema) return notFound();
  const located = locate(ctx, schema, request.params.id ?? '', true);
  if ('reply' in located) return located.reply;
  const fault = injected(ctx, schema.name, 'delete');
  if (fault) return fault;
  const result = ctx.org.delete(schema.name, located.id, request.userId);
  return result.success ? { status: 204 } : failed(result);
}

function externalKey(ctx: RouteContext, request: EmulatorRequest): { schema: ObjectSchema; field: string; value: string; ids: string[] } | { reply: EmulatorReply } {
  const schema = ctx.org.schema(request.params.object ?? '');
  if (!schema) return { reply: notFound() };
  const fieldName = request.params.field ?? '';
  const value = request.params.value ?? '';
  const match = ctx.org.matchExternalId(schema.name, fieldName, value);
  if ('statusCode' in match) return { reply: errorReply(match.statusCode === 'NOT_FOUND' ? 404 : 400, match.statusCode, match.message) };
  return { schema, field: schema.field(fieldName)?.name ?? fieldName, value, ids: match.ids };
}

function multipleChoices(request: EmulatorRequest, schema: ObjectSchema, ids: string[]): EmulatorReply {
  return { status: 300, body: ids.map((id) => `/services/data/v${versionOf(request)}/sobjects/${schema.name}/${id}`) };
}

function upsertByExternalId(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const key = externalKey(ctx, request);
  if ('reply' in key) return key.reply;
  const parsed = body(request, key.schema);
  if ('reply' in parsed) return parsed.reply;
  const { attributes: _attributes, ...values } = parsed.values;
  const repeated = Object.keys(values).find((k) => k.toLowerCase() === key.field.toLowerCase() || k.toLowerCase() === 'id');
  if (repeated) return errorReply(400, 'INVALID_FIELD', `Unable to create/update fields: ${repeated}. The external ID field and Id must not appear in the request body of an upsert by ${key.field}.`, [repeated]);
  if (key.ids.length > 1) return multipleChoices(request, key.schema, key.ids);
  if (key.ids.length === 0 && request.query.get('updateOnly') === 'true') return notFound();
  const fault = injected(ctx, key.schema.name, 'upsert', values);
  if (fault) return fault;
  const result = key.field === 'Id'
    ? key.ids.length === 1 ? { ...ctx.org.update(key.schema.name, key.ids[0] as string, values, request.userId), created: false } : { ...ctx.org.create(key.schema.name, values, request.userId), created: true }
    : ctx.org.upsert(key.schema.name, key.field, { ...values, [key.field]: key.value }, request.userId);
  if (!result.success) return failed(result);
  if (result.created) return { status: 201, body: { id: result.id, success: true, errors: [], created: true } };
  // API 46.0 and later answer an update with 200 and the save result; earlier versions with 204.
  return Number(versionOf(request)) >= 46 ? { status: 200, body: { id: result.id, success: true, errors: [], created: false } } : { status: 204 };
}

function retrieveByExternalId(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const key = externalKey(ctx, request);
  if ('reply' in key) return key.reply;
  if (key.ids.length > 1) return multipleChoices(request, key.schema, key.ids);
  if (key.ids.length === 0) return notFound();
  return { status: 200, body: ctx.org.retrieve(key.schema.name, key.ids[0] as string, undefined, versionOf(request)) };
}

function deleteByExternalId(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const key = externalKey(ctx, request);
  if ('reply' in key) return key.reply;
  if (key.ids.length > 1) return multipleChoices(request, key.schema, key.ids);
  if (key.ids.length === 0) return notFound();
  const result = ctx.org.delete(key.schema.name, key.ids[0] as string, request.userId);
  return result.success ? { status: 204 } : failed(result);
}

function replicationWindow(ctx: RouteContext, request: EmulatorRequest, kind: 'updated' | 'deleted'): { start: number; end: number; schema: ObjectSchema } | { reply: EmulatorReply } {
  const schema = ctx.org.schema(request.params.object ?? '');
  if (!schema) return { reply: notFound() };
  const startText = request.query.get('start');
  const endText = request.query.get('end');
  if (!startText || !endText) return { reply: errorReply(400, 'MISSING_ARGUMENT', 'start and end must both be given as ISO 8601 date-times') };
  const start = parseDateTime(startText);
  const end = parseDateTime(endText);
  if (start === undefined || end === undefined) return { reply: errorReply(400, 'INVALID_REPLICATION_DATE', `Invalid date-time: ${start === undefined ? startText : endText}`) };
  if (start > end) return { reply: errorReply(400, 'INVALID_REPLICATION_DATE', 'startDate must chronologically precede endDate by more than one minute') };
  if (ctx.org.now - start > REPLICATION_WINDOW_DAYS[kind] * 86_400_000) {
    return { reply: errorReply(400, 'INVALID_REPLICATION_DATE', `startDate can't be more than ${REPLICATION_WINDOW_DAYS[kind]} days ago`) };
  }
  return { start, end, schema };
}

function updated(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const window = replicationWindow(ctx, request, 'updated');
  if ('reply' in window) return window.reply;
  const table = ctx.org.store.table(window.schema.name);
  const ids: string[] = [];
  for (const row of table?.byModstamp(window.start) ?? []) {
    if ((row.SystemModstamp as number) > window.end) break;
    if (row.IsDeleted !== true) ids.push(String(row.Id));
  }
  return { status: 200, body: { ids, latestDateCovered: formatDateTime(Math.min(window.end, ctx.org.now)) } };
}

function deleted(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const window = replicationWindow(ctx, request, 'deleted');
  if ('reply' in window) return window.reply;
  const table = ctx.org.store.table(window.schema.name);
  const deletedRecords: Array<{ id: string; deletedDate: string }> = [];
  let earliest = window.end;
  for (const row of table?.byModstamp(window.start) ?? []) {
    const stamp = row.SystemModstamp as number;
    if (stamp > window.end) break;
    if (row.IsDeleted === true) {
      deletedRecords.push({ id: String(row.Id), deletedDate: formatDateTime(stamp) });
      earliest = Math.min(earliest, stamp);
    }
  }
  return { status: 200, body: { deletedRecords, earliestDateAvailable: formatDateTime(earliest), latestDateCovered: formatDateTime(Math.min(window.end, ctx.org.now)) } };
}

export function restRecordRoutes(ctx: RouteContext): RouteModule {
  const sobject = '/services/data/:version/sobjects/:object';
  return {
    name: 'sobject',
    routes: [
      { method: 'POST', pattern: sobject, handler: (r) => create(ctx, r), label: 'sobject.create' },
      { method: 'GET', pattern: `${sobject}/updated`, handler: (r) => updated(ctx, r), label: 'sobject.updated' },
      { method: 'GET', pattern: `${sobject}/deleted`, handler: (r) => deleted(ctx, r), label: 'sobject.deleted' },
      { method: 'GET', pattern: `${sobject}/:id`, handler: (r) => retrieve(ctx, r), label: 'sobject.retrieve' },
      { method: 'PATCH', pattern: `${sobject}/:id`, handler: (r) => update(ctx, r), label: 'sobject.update' },
      { method: 'DELETE', pattern: `${sobject}/:id`, handler: (r) => remove(ctx, r), label: 'sobject.delete' },
      { method: 'GET', pattern: `${sobject}/:field/:value`, handler: (r) => retrieveByExternalId(ctx, r), label: 'sobject.retrieveByExternalId' },
      { method: 'PATCH', pattern: `${sobject}/:field/:value`, handler: (r) => upsertByExternalId(ctx, r), label: 'sobject.upsert' },
      { method: 'DELETE', pattern: `${sobject}/:field/:value`, handler: (r) => deleteByExternalId(ctx, r), label: 'sobject.deleteByExternalId' },
    ],
  };
}
