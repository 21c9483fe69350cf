// Parses SOQL with @jetstreamapp/soql-parser-js and compiles it against the org's schema: the select
// list (fields, parent paths, one level of child subqueries, COUNT and simple aggregates), WHERE, ORDER
// BY, LIMIT and OFFSET. Whatever the emulator cannot answer exactly is refused with MALFORMED_QUERY.
import { parseQuery, type FieldType, type OrderByClause, type Query, type Subquery } from '@jetstreamapp/soql-parser-js';
import { SoqlError } from '../contracts.ts';
import type { ChildRelationship, ObjectSchema } from '../schema/object-schema.ts';
import type { OrgStore } from '../store/org-store.ts';
import type { Row, Table } from '../store/table.ts';
import { isTextType } from '../store/values.ts';
import { resolvePath, soqlError, unsupported, withoutAlias, type FieldPath } from './fields.ts';
import { compileWhere, type IndexHint, type Predicate } from './where.ts';

export interface SelectField {
  kind: 'field';
  path: FieldPath;
}

export interface SelectChild {
  kind: 'child';
  relationship: ChildRelationship;
  query: CompiledQuery;
}

export interface SelectAggregate {
  kind: 'aggregate';
  fn: 'COUNT' | 'COUNT_DISTINCT' | 'MIN' | 'MAX' | 'SUM' | 'AVG';
  alias: string;
  display: string;
  path?: FieldPath;
}

export interface OrderKey {
  path: FieldPath;
  descending: boolean;
  nullsFirst: boolean;
}

export interface CompiledQuery {
  soql: string;
  schema: ObjectSchema;
  table: Table;
  select: Array<SelectField | SelectChild>;
  aggregates: SelectAggregate[];
  countOnly: boolean;
  predicate?: Predicate;
  hints: IndexHint[];
  orderBy: OrderKey[];
  limit?: number;
  offset: number;
}

const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'MIN', 'MAX', 'SUM', 'AVG']);

function parse(soql: string): Query {
  if (!soql.trim()) throw new SoqlError('MALFORMED_QUERY', 'A query string has to be specified');
  try {
    return parseQuery(soql);
  } catch (error) {
    const message = (error as Error).message;
    const found = /found:?\s*-*>?\s*'?([^'\n<]+)'?/.exec(message)?.[1]?.trim();
    throw soqlError('MALFORMED_QUERY', soql, found ?? '', found ? `unexpected token: '${found}'` : message.split('\n')[0] ?? 'malformed query');
  }
}

/** Compiles a top-level query. `now` anchors date literals such as TODAY. */
export function compileQuery(store: OrgStore, soql: string, now: number): CompiledQuery {
  return compileParsed(store, parse(soql), soql, now);
}

function compileParsed(store: OrgStore, query: Query, soql: string, now: number): CompiledQuery {
  const objectName = query.sObject ?? '';
  const table = store.table(objectName);
  if (!table) {
    throw soqlError('INVALID_TYPE', soql, objectName, `sObject type '${objectName}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`);
  }
  return compileBody(store, query, table, soql, now, query.sObjectAlias, false);
}

function compileBody(store: OrgStore, query: Query | Subquery, table: Table, soql: string, now: number, alias: string | undefined, isChild: boolean): CompiledQuery {
  const schema = table.schema;
  if (query.groupBy) throw unsupported(soql, 'GROUP BY', 'GROUP BY');
  if (query.having) throw unsupported(soql, 'HAVING', 'HAVING');
  if (query.withDataCategory) throw unsupported(soql, 'WITH DATA CATEGORY', 'WITH DATA CATEGORY');
  if (query.usingScope && query.usingScope.toLowerCase() !== 'everything') throw unsupported(soql, 'USING SCOPE', `USING SCOPE ${query.usingScope}`);

  if ((query.offset ?? 0) > 2000) throw soqlError('MALFORMED_QUERY', soql, 'OFFSET', 'Maximum SOQL offset allowed is 2000');
  const compiled: CompiledQuery = { soql, schema, table, select: [], aggregates: [], countOnly: false, hints: [], orderBy: [], offset: query.offset ?? 0 };
  if (query.limit !== undefined) compiled.limit = query.limit;
  const seen = new Set<string>();
  const addField = (path: FieldPath) => {
    const key = path.text.toLowerCase();
    if (seen.has(key)) throw soqlError('MALFORMED_QUERY', soql, path.text, `duplicate field selected: ${path.text}`);
    seen.add(key);
    compiled.select.push({ kind: 'field', path });
  };

  for (const item of query.fields ?? []) compileSelectItem(store, item, compiled, addField, soql, now, alias, isChild);

  if (compiled.countOnly && (compiled.select.length > 0 || compiled.aggregates.length > 1)) throw soqlError('MALFORMED_QUERY', soql, 'COUNT()', 'COUNT() must be the only element in the SELECT list');
  if (compiled.aggregates.length > 0 && compiled.select.length > 0) {
    const first = compiled.select[0] as SelectField | SelectChild;
    throw soqlError('MALFORMED_QUERY', soql, first.kind === 'field' ? first.path.text : '', `Field must be grouped or aggregated: ${first.kind === 'field' ? first.path.text : 'subquery'}`);
  }
  if (compiled.select.length === 0 && compiled.aggregates.length === 0 && !compiled.countOnly) throw soqlError('MALFORMED_QUERY', soql, 'FROM', 'unexpected token: FROM');

  if (query.where) {
    const where = compileWhere({ store, schema, alias, soql, now, semiJoin: (inner) => semiJoin(store, inner, soql, now) }, query.where);
    compiled.predicate = where.predicate;
    compiled.hints = where.hints;
  }
  const orderBy = query.orderBy === undefined ? [] : Array.isArray(query.orderBy) ? query.orderBy : [query.orderBy];
  compiled.orderBy = orderBy.map((clause) => compileOrderKey(store, schema, clause, soql, alias));
  if (compiled.countOnly && compiled.orderBy.length > 0) throw soqlError('MALFORMED_QUERY', soql, 'ORDER BY', 'ORDER BY is not allowed with COUNT()');
  return compiled;
}

function compileSelectItem(store: OrgStore, item: FieldType, compiled: CompiledQuery, addField: (p: FieldPath) => void, soql: string, now: number, alias: string | undefined, isChild: boolean): void {
  const schema = compiled.schema;
  switch (item.type) {
    case 'Field': {
      if (item.alias) throw soqlError('MALFORMED_QUERY', soql, item.alias, `unexpected token: ${item.alias}`);
      const field = resolvePath(store, schema, withoutAlias(item.field, alias), soql);
      if (field.hops.length === 0 && alias && item.field.toLowerCase() === alias.toLowerCase()) throw soqlError('INVALID_FIELD', soql, item.field, `No such column '${item.field}'`);
      addField(field);
      return;
    }
    case 'FieldRelationship': {
      if ('alias' in item && item.alias) throw soqlError('MALFORMED_QUERY', soql, String(item.alias), `unexpected token: ${String(item.alias)}`);
      addField(resolvePath(store, schema, withoutAlias([...item.relationships, item.field].join('.'), alias), soql));
      return;
    }
    case 'FieldSubquery': {
      if (isChild) throw soqlError('MALFORMED_QUERY', soql, 'SELECT', 'Nesting of semi join sub-selects is not supported');
      const sub = item.subquery;
      const relationship = schema.childRelationship(sub.relationshipName);
      if (!relationship) {
        throw soqlError('INVALID_TYPE', soql, sub.relationshipName, `Didn't understand relationship '${sub.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`);
      }
      const childTable = store.table(relationship.childSObject);
      if (!childTable) throw unsupported(soql, sub.relationshipName, `The child relationship ${relationship.relationshipName} (${relationship.childSObject})`);
      const childQuery = compileBody(store, sub, childTable, soql, now, sub.sObjectPrefix?.[0], true);
      if (childQuery.countOnly || childQuery.aggregates.length > 0) throw unsupported(soql, sub.relationshipName, 'An aggregate in a child subquery');
      compiled.select.push({ kind: 'child', relationship, query: childQuery });
      return;
    }
    case 'FieldFunctionExpression': {
      const fn = item.functionName.toUpperCase();
      const params = item.parameters.map((p) => (typeof p === 'string' ? p : ''));
      if (fn === 'FIELDS') return expandFields(store, compiled, params[0] ?? '', addField, soql);
      if (!AGGREGATES.has(fn)) throw unsupported(soql, item.rawValue ?? fn, `The function ${item.functionName}()`);
      if (fn === 'COUNT' && params.length === 0) {
        if (isChild) throw unsupported(soql, 'COUNT()', 'COUNT() in a subquery');
        compiled.countOnly = true;
        return;
      }
      if (params.length !== 1 || params[0] === '') throw unsupported(soql, item.rawValue ?? fn, `${fn} with these arguments`);
      const path = resolvePath(store, schema, withoutAlias(params[0] as string, alias), soql);
      compiled.aggregates.push({ kind: 'aggregate', fn: fn as SelectAggregate['fn'], alias: item.alias ?? `expr${compiled.aggregates.length}`, display: item.rawValue ?? `${fn}(${path.text})`, path });
      return;
    }
    default:
      throw unsupported(soql, 'TYPEOF', 'TYPEOF');
  }
}

function expandFields(store: OrgStore, compiled: CompiledQuery, which: string, addField: (p: FieldPath) => void, soql: string): void {
  const kind = which.toUpperCase();
  if (kind !== 'ALL' && kind !== 'STANDARD' && kind !== 'CUSTOM') throw soqlError('MALFORMED_QUERY', soql, which, `unexpected token: ${which}`);
  if (kind !== 'STANDARD' && (compiled.limit === undefined || compiled.limit > 200)) {
    throw soqlError('MALFORMED_QUERY', soql, 'FIELDS', 'The SOQL FIELDS function must have a LIMIT of at most 200');
  }
  for (const field of compiled.schema.fields) {
    if (kind === 'STANDARD' && field.custom) continue;
    if (kind === 'CUSTOM' && !field.custom) continue;
    addField(resolvePath(store, compiled.schema, field.name, soql));
  }
}

function compileOrderKey(store: OrgStore, schema: ObjectSchema, clause: OrderByClause, soql: string, alias: string | undefined): OrderKey {
  if (!('field' in clause) || !clause.field) throw unsupported(soql, 'ORDER BY', 'A function in ORDER BY');
  const path = resolvePath(store, schema, withoutAlias(clause.field, alias), soql);
  if (!path.field.sortable) throw soqlError('INVALID_FIELD', soql, clause.field, `field '${path.text}' can not be sorted in a query call`);
  const descending = clause.order?.toUpperCase() === 'DESC';
  const nulls = clause.nulls?.toUpperCase();
  return { path, descending, nullsFirst: nulls ? nulls === 'FIRST' : true };
}

/** `Id IN (SELECT AccountId FROM Contact WHERE …)`: the selected ids, computed once per execution. */
function semiJoin(store: OrgStore, inner: Query, soql: string, now: number): () => ReadonlySet<string> {
  const compiled = compileParsed(store, inner, soql, now);
  const only = compiled.select[0];
  if (compiled.select.length !== 1 || !only || only.kind !== 'field' || (only.path.field.type !== 'id' && only.path.field.type !== 'reference')) {
    throw soqlError('MALFORMED_QUERY', soql, inner.sObject ?? 'SELECT', 'A semi-join subquery must select exactly one Id or reference field');
  }
  let cache: Set<string> | undefined;
  return () => {
    if (!cache) {
      cache = new Set();
      for (const row of matchingRows(compiled, false)) {
        const value = only.path.get(row);
        if (typeof value === 'string') cache.add(value);
      }
    }
    return cache;
  };
}

/** Candidate rows for a compiled query, narrowed by the best index hint; not yet filtered or sorted. */
export function candidateRows(compiled: CompiledQuery, includeDeleted: boolean): { rows: Iterable<Row>; modstampOrdered: boolean } {
  const { table, hints } = compiled;
  const byId = hints.find((h): h is Extract<IndexHint, { kind: 'id' }> => h.kind === 'id');
  if (byId) return { rows: unique(byId.ids.map((id) => table.get(id))), modstampOrdered: false };
  const byValue = includeDeleted ? undefined : hints.find((h): h is Extract<IndexHint, { kind: 'value' }> => h.kind === 'value');
  if (byValue) return { rows: unique(byValue.values.flatMap((v) => table.findByValue(byValue.field, v)).map((id) => table.get(id))), modstampOrdered: false };
  const byReference = hints.find((h): h is Extract<IndexHint, { kind: 'reference' }> => h.kind === 'reference');
  if (byReference) return { rows: unique(byReference.ids.flatMap((id) => table.findByReference(byReference.field, id))), modstampOrdered: false };
  const byStamp = hints.find((h): h is Extract<IndexHint, { kind: 'modstamp' }> => h.kind === 'modstamp');
  if (byStamp) return { rows: table.byModstamp(byStamp.from, byStamp.exclusive), modstampOrdered: true };
  const first = compiled.orderBy[0];
  if (first && first.path.hops.length === 0 && first.path.field.name === 'SystemModstamp' && !first.descending) return { rows: table.byModstamp(), modstampOrdered: true };
  return { rows: table.values(), modstampOrdered: false };
}

function unique(rows: Array<Row | undefined>): Row[] {
  const seen = new Set<Row>();
  for (const row of rows) if (row) seen.add(row);
  return [...seen];
}

/** True when rows in (SystemModstamp, Id) order already satisfy the ORDER BY. */
function satisfiedByModstampOrder(orderBy: OrderKey[]): boolean {
  const [first, second, ...rest] = orderBy;
  if (!first || rest.length > 0) return false;
  const isStamp = first.path.hops.length === 0 && first.path.field.name === 'SystemModstamp' && !first.descending;
  if (!isStamp) return false;
  return !second || (second.path.hops.length === 0 && second.path.field.name === 'Id' && !second.descending);
}

function sortKey(key: OrderKey): (row: Row) => string | number | boolean | null {
  const get = key.path.get;
  const text = isTextType(key.path.field.type);
  return (row) => {
    const value = get(row);
    if (value === null || value === undefined) return null;
    return text && typeof value === 'string' ? value.toUpperCase() : (value as string | number | boolean);
  };
}

/** Filters, orders and pages (OFFSET/LIMIT) the query's rows. */
export function matchingRows(compiled: CompiledQuery, includeDeleted: boolean): Row[] {
  const { rows, modstampOrdered } = candidateRows(compiled, includeDeleted);
  const predicate = compiled.predicate;
  const needsSort = compiled.orderBy.length > 0 && !(modstampOrdered && satisfiedByModstampOrder(compiled.orderBy));
  const stopAt = !needsSort && compiled.limit !== undefined ? compiled.offset + compiled.limit : Number.POSITIVE_INFINITY;
  const out: Row[] = [];
  for (const row of rows) {
    if (!includeDeleted && row.IsDeleted === true) continue;
    if (predicate && !predicate(row)) continue;
    out.push(row);
    if (out.length >= stopAt) break;
  }
  const sorted = needsSort ? sortRows(out, compiled.orderBy) : out;
  const end = compiled.limit === undefined ? undefined : compiled.offset + compiled.limit;
  return compiled.offset > 0 || end !== undefined ? sorted.slice(compiled.offset, end) : sorted;
}

export function sortRows(rows: Row[], orderBy: OrderKey[]): Row[] {
  const getters = orderBy.map(sortKey);
  const decorated = rows.map((row, index) => ({ row, index, keys: getters.map((g) => g(row)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < orderBy.length; i++) {
      const key = orderBy[i] as OrderKey;
      const x = a.keys[i] as string | number | boolean | null;
      const y = b.keys[i] as string | number | boolean | null;
      if (x === y) continue;
      if (x === null) return key.nullsFirst ? -1 : 1;
      if (y === null) return key.nullsFirst ? 1 : -1;
      const order = x < y ? -1 : 1;
      return key.descending ? -order : order;
    }
    return a.index - b.index;
  });
  return decorated.map((d) => d.row);
}
