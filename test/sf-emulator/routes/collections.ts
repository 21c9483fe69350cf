// sObject Collections (`/composite/sobjects`): create, update, upsert by external id, delete and
// retrieve up to 200 records (2,000 ids for retrieve) per call, one save result per record in order,
// `allOrNone` rolling everything back with ALL_OR_NONE_OPERATION_ROLLED_BACK.
import type { EmulatorReply, EmulatorRequest, RouteModule, SaveResult, SObjectValues } from '../contracts.ts';
import { canonicalId } from '../core/ids.ts';
import { errorReply, notFound, requireJsonObject } from '../http/replies.ts';
import { failure } from '../store/dml.ts';
import { fieldError } from '../store/values.ts';
import { asRecord, recordBodyProblem } from './record-input.ts';
import { versionOf, type RouteContext } from './context.ts';

const MAX_RECORDS = 200;
const MAX_RETRIEVE_IDS = 2000;

const tooMany = (): EmulatorReply => errorReply(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call');

type Operation = 'insert' | 'update' | 'upsert' | 'delete';

interface Item {
  objectName: string;
  values: SObjectValues;
  id?: string;
}

/** Runs one write per item, in order, inside a transaction that allOrNone can roll back. */
function runBatch(ctx: RouteContext, items: Item[], allOrNone: boolean, operation: Operation, write: (item: Item) => SaveResult): EmulatorReply {
  const results = ctx.org.atomically(
    () =>
      items.map((item) => {
        // Updates carry their Id apart from the values; a fault rule sees it too, to tell records apart.
        const injected = ctx.faults.recordFailure({ objectName: item.objectName, api: 'collections', operation, values: item.id === undefined ? item.values : { Id: item.id, ...item.values } });
        if (injected) return { ...failure([injected], item.id ?? null), ...(operation === 'upsert' ? { created: false } : {}) };
        return write(item);
      }),
    (all) => !allOrNone || all.every((r) => r.success),
  );
  const rolledBack = allOrNone && results.some((r) => !r.success);
  const body = results.map((result) => {
    const shaped: SaveResult = rolledBack && result.success
      ? { id: operation === 'insert' || operation === 'upsert' ? null : result.id, success: false, errors: [fieldError('ALL_OR_NONE_OPERATION_ROLLED_BACK', 'Record rolled back because not all records were valid and the request was using AllOrNone header')] }
      : result;
    const out: Record<string, unknown> = shaped.id === null && !shaped.success ? { success: false, errors: shaped.errors } : { id: shaped.id, success: shaped.success, errors: shaped.errors };
    if (operation === 'upsert') out.created = shaped.success ? result.created === true : false;
    return out;
  });
  return { status: 200, body };
}

function readRecords(ctx: RouteContext, request: EmulatorRequest, fixedType?: string): { items: Item[]; allOrNone: boolean } | { reply: EmulatorReply } {
  const problem = requireJsonObject(request);
  if (problem) return { reply: problem };
  const payload = asRecord(request.json);
  const records = payload?.records;
  if (!payload || !Array.isArray(records)) return { reply: errorReply(400, 'JSON_PARSER_ERROR', 'The request body must be an object with a records array') };
  if (records.length > MAX_RECORDS) return { reply: tooMany() };
  const items: Item[] = [];
  for (const [index, raw] of records.entries()) {
    const values = asRecord(raw);
    if (!values) return { reply: errorReply(400, 'JSON_PARSER_ERROR', `Record ${index} is not a JSON object`) };
    const type = (values.attributes as { type?: unknown } | undefined)?.type ?? fixedType;
    if (typeof type !== 'string' || type === '') return { reply: errorReply(400, 'INVALID_TYPE', 'Must send a concrete entity type.') };
    if (fixedType && type.toLowerCase() !== fixedType.toLowerCase()) return { reply: errorReply(400, 'INVALID_TYPE', `Records must all be of type ${fixedType}; found ${type}`) };
    const schema = ctx.org.schema(type);
    if (!schema) return { reply: errorReply(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`) };
    const { attributes: _attributes, ...rest } = values;
    const bad = recordBodyProblem(schema, rest);
    if (bad) return { reply: bad };
    items.push({ objectName: schema.name, values: rest });
  }
  return { items, allOrNone: payload.allOrNone === true };
}

function create(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const read = readRecords(ctx, request);
  if ('reply' in read) return read.reply;
  return runBatch(ctx, read.items, read.allOrNone, 'insert', (item) => ctx.org.create(item.objectName, item.values, request.userId));
}

function update(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const read = readRecords(ctx, request);
  if ('reply' in read) return read.reply;
  const items = read.items.map((item) => {
    const { id, Id, ...values } = item.values as SObjectValues & { id?: unknown; Id?: unknown };
    return { ...item, values, id: typeof (Id ?? id) === 'string' ? String(Id ?? id) : undefined };
  });
  return runBatch(ctx, items, read.allOrNone, 'update', (item) =>
    item.id === undefined ? failure([fieldError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id'])]) : ctx.org.update(item.objectName, item.id, item.values, request.userId),
  );
}

function upsert(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const schema = ctx.org.schema(request.params.object ?? '');
  if (!schema) return notFound();
  const fieldName = request.params.field ?? '';
  const field = schema.field(fieldName);
  if (!field) return errorReply(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${fieldName}`);
  if (!field.externalId && !field.idLookup) return errorReply(400, 'INVALID_FIELD', `Field name provided, ${field.name} is not an External ID or indexed field for ${schema.name}`);
  const read = readRecords(ctx, request, schema.name);
  if ('reply' in read) return read.reply;
  return runBatch(ctx, read.items, read.allOrNone, 'upsert', (item) => ctx.org.upsert(item.objectName, field.name, item.values, request.userId));
}

function remove(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const ids = (request.query.get('ids') ?? '').split(',').map((id) => id.trim()).filter(Boolean);
  if (ids.length === 0) return errorReply(400, 'MISSING_ARGUMENT', 'ids parameter is required');
  if (ids.length > MAX_RECORDS) return tooMany();
  const allOrNone = request.query.get('allOrNone') === 'true';
  const items: Item[] = ids.map((id) => ({ objectName: ctx.org.store.tableForId(canonicalId(id) ?? '')?.schema.name ?? '', values: {}, id }));
  return runBatch(ctx, items, allOrNone, 'delete', (item) => {
    if (!item.objectName) return failure([fieldError('MALFORMED_ID', `malformed id ${item.id ?? ''}`)], item.id ?? null);
    return ctx.org.delete(item.objectName, item.id as string, request.userId);
  });
}

function retrieve(ctx: RouteContext, request: EmulatorRequest, ids: unknown, fields: unknown): EmulatorReply {
  const schema = ctx.org.schema(request.params.object ?? '');
  if (!schema) return notFound();
  const idList = Array.isArray(ids) ? ids.map(String) : typeof ids === 'string' ? ids.split(',').map((s) => s.trim()).filter(Boolean) : [];
  const fieldList = Array.isArray(fields) ? fields.map(String) : typeof fields === 'string' ? fields.split(',').map((s) => s.trim()).filter(Boolean) : [];
  if (idList.length === 0) return errorReply(400, 'MISSING_ARGUMENT', 'ids must be given');
  if (fieldList.length === 0) return errorReply(400, 'MISSING_ARGUMENT', 'fields must be given');
  if (idList.length > MAX_RETRIEVE_IDS) return errorReply(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RETRIEVE_IDS} records into this call`);
  const unknown = fieldList.find((f) => !schema.field(f));
  if (unknown) return errorReply(400, 'INVALID_FIELD', `No such column '${unknown}' on entity '${schema.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
  const malformed = idList.find((id) => !canonicalId(id));
  if (malformed) return errorReply(400, 'MALFORMED_ID', `malformed id ${malformed}`);
  return { status: 200, body: idList.map((id) => ctx.org.retrieve(schema.name, id, fieldList, versionOf(request)) ?? null) };
}

export function collectionRoutes(ctx: RouteContext): RouteModule {
  const base = '/services/data/:version/composite/sobjects';
  return {
    name: 'collections',
    routes: [
      { method: 'POST', pattern: base, handler: (r) => create(ctx, r), label: 'collections.create' },
      { method: 'PATCH', pattern: base, handler: (r) => update(ctx, r), label: 'collections.update' },
      { method: 'DELETE', pattern: base, handler: (r) => remove(ctx, r), label: 'collections.delete' },
      { method: 'PATCH', pattern: `${base}/:object/:field`, handler: (r) => upsert(ctx, r), label: 'collections.upsert' },
      { method: 'GET', pattern: `${base}/:object`, handler: (r) => retrieve(ctx, r, r.query.get('ids'), r.query.get('fields')), label: 'collections.retrieve' },
      {
        method: 'POST',
        pattern: `${base}/:object`,
        handler: (r) => {
          const problem = requireJsonObject(r);
          if (problem) return problem;
          const payload = asRecord(r.json) ?? {};
          return retrieve(ctx, r, payload.ids, payload.fields);
        },
        label: 'collections.retrieve',
      },
    ],
  };
}
