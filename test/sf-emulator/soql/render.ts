// Query results in Salesforce's JSON shape: `attributes` on every record, parent fields nested under
// their relationship name (or null), child subqueries as nested query results (or null), aggregates
// as AggregateResult records.
import type { SObjectValues } from '../contracts.ts';
import type { Row } from '../store/table.ts';
import { renderValue } from '../store/values.ts';
import { matchingRows, sortRows, type CompiledQuery, type SelectAggregate } from './compile.ts';

export interface RenderOptions {
  version: string;
  includeDeleted: boolean;
}

function attributes(type: string, id: unknown, version: string): Record<string, string> {
  return { type, url: `/services/data/v${version}/sobjects/${type}/${String(id)}` };
}

export function renderRecord(compiled: CompiledQuery, row: Row, options: RenderOptions): SObjectValues {
  const out: SObjectValues = { attributes: attributes(compiled.schema.name, row.Id, options.version) };
  for (const item of compiled.select) {
    if (item.kind === 'child') {
      out[item.relationship.relationshipName] = renderChildren(item.query, item.relationship.field, row, options);
      continue;
    }
    const { hops, field } = item.path;
    let target: SObjectValues = out;
    let current: Row | undefined = row;
    let broken = false;
    for (const hop of hops) {
      const key = hop.relationshipName;
      const parentId: unknown = current?.[hop.reference.name];
      const parent: Row | undefined = typeof parentId === 'string' ? hop.table.get(parentId) : undefined;
      if (!(key in target)) target[key] = parent ? { attributes: attributes(hop.target.name, parent.Id, options.version) } : null;
      const next = target[key];
      if (next === null || !parent) {
        broken = true;
        break;
      }
      target = next as SObjectValues;
      current = parent;
    }
    if (!broken && current) target[field.name] = renderValue(field, item.path.getOwn(current));
  }
  return out;
}

/** The nested result of a child subquery for one parent row: `{ totalSize, done, records }` or null. */
function renderChildren(query: CompiledQuery, parentField: string, parent: Row, options: RenderOptions): SObjectValues | null {
  let rows = query.table.findByReference(parentField, String(parent.Id)).filter((row) => (options.includeDeleted || row.IsDeleted !== true) && (!query.predicate || query.predicate(row)));
  if (query.orderBy.length > 0) rows = sortRows(rows, query.orderBy);
  else rows.sort((a, b) => (String(a.Id) < String(b.Id) ? -1 : 1));
  if (query.offset > 0 || query.limit !== undefined) rows = rows.slice(query.offset, query.limit === undefined ? undefined : query.offset + query.limit);
  if (rows.length === 0) return null;
  return { totalSize: rows.length, done: true, records: rows.map((row) => renderRecord(query, row, options)) };
}

function aggregateValue(aggregate: SelectAggregate, rows: Row[]): unknown {
  if (!aggregate.path) return rows.length;
  const get = aggregate.path.get;
  const values = rows.map(get).filter((v) => v !== null && v !== undefined);
  switch (aggregate.fn) {
    case 'COUNT':
      return values.length;
    case 'COUNT_DISTINCT':
      return new Set(values.map((v) => (typeof v === 'string' ? v.toUpperCase() : v))).size;
    case 'SUM':
      return values.length === 0 ? null : values.reduce((sum: number, v) => sum + Number(v), 0);
    case 'AVG':
      return values.length === 0 ? null : values.reduce((sum: number, v) => sum + Number(v), 0) / values.length;
    case 'MIN':
    case 'MAX': {
      if (values.length === 0) return null;
      const sorted = [...values].sort((a, b) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0));
      return renderValue(aggregate.path.field, aggregate.fn === 'MIN' ? sorted[0] : sorted[sorted.length - 1]);
    }
  }
}

export interface QueryOutcome {
  totalSize: number;
  rows: Row[];
  /** Records already rendered (aggregate results); otherwise render `rows` page by page. */
  aggregateRecords?: SObjectValues[];
}

/** Runs a compiled query: the matching rows (or the aggregate record) and the totalSize to report. */
export function executeQuery(compiled: CompiledQuery, includeDeleted: boolean): QueryOutcome {
  if (compiled.countOnly) {
    const rows = matchingRows(compiled, includeDeleted);
    return { totalSize: rows.length, rows: [] };
  }
  if (compiled.aggregates.length > 0) {
    const rows = matchingRows({ ...compiled, limit: undefined, offset: 0 }, includeDeleted);
    const record: SObjectValues = { attributes: { type: 'AggregateResult' } };
    for (const aggregate of compiled.aggregates) record[aggregate.alias] = aggregateValue(aggregate, rows);
    const records = compiled.offset > 0 || compiled.limit === 0 ? [] : [record];
    return { totalSize: records.length, rows: [], aggregateRecords: records };
  }
  const rows = matchingRows(compiled, includeDeleted);
  return { totalSize: rows.length, rows };
}
