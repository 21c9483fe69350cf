// Turns a Bulk API 2.0 query into CSV rows: which columns (parent fields as `Account.Name`), what the
// bulk query refuses (subqueries, aggregates, compound fields), and how each value is written.
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type { EmulatorOrg, SObjectValues } from '../contracts.ts';
import { SoqlError } from '../contracts.ts';
import type { DescribeField } from './ingest-columns.ts';

export interface QueryColumn {
  header: string; // canonical path, e.g. Account.Name
  path: string[]; // lower-cased keys to walk in a query record
}

/** Reads the SELECT list; throws SoqlError for what Bulk API 2.0 query jobs cannot return as CSV. */
export function queryColumns(soql: string, org: Pick<EmulatorOrg, 'describe' | 'resolveObjectName'>): { objectName: string; columns: QueryColumn[] } {
  let parsed: ReturnType<typeof parseQuery>;
  try {
    parsed = parseQuery(soql);
  } catch (error) {
    throw new SoqlError('MALFORMED_QUERY', (error as Error).message);
  }
  const objectName = parsed.sObject ? org.resolveObjectName(parsed.sObject) : undefined;
  if (!objectName) throw new SoqlError('INVALID_TYPE', `sObject type '${parsed.sObject ?? ''}' is not supported.`);
  if (parsed.groupBy || parsed.having) throw new SoqlError('MALFORMED_QUERY', 'Aggregate queries are not supported by Bulk API 2.0 query jobs');
  const columns = (parsed.fields ?? []).map((field) => {
    if (field.type === 'Field') return column(org, objectName, [], field.field);
    if (field.type === 'FieldRelationship') return column(org, objectName, field.relationships, field.field);
    if (field.type === 'FieldSubquery') {
      throw new SoqlError('MALFORMED_QUERY', `Relationship subqueries (${field.subquery.relationshipName}) are not supported by Bulk API 2.0 query jobs`);
    }
    throw new SoqlError('MALFORMED_QUERY', 'Aggregate functions and TYPEOF are not supported by Bulk API 2.0 query jobs');
  });
  return { objectName, columns };
}

function column(org: Pick<EmulatorOrg, 'describe'>, objectName: string, relationships: string[], fieldName: string): QueryColumn {
  const names: string[] = [];
  let current: string | undefined = objectName;
  for (const relationship of relationships) {
    const lookup: DescribeField | undefined = current ? fieldsOf(org, current).find((f) => f.relationshipName?.toLowerCase() === relationship.toLowerCase()) : undefined;
    names.push(lookup?.relationshipName ?? relationship);
    current = lookup?.referenceTo?.[0];
  }
  const field = current ? fieldsOf(org, current).find((f) => f.name.toLowerCase() === fieldName.toLowerCase()) : undefined;
  if (field && (field.type === 'address' || field.type === 'location')) {
    throw new SoqlError('MALFORMED_QUERY', `FeatureNotEnabled : Cannot serialize value for '${field.name}' in CSV format`);
  }
  names.push(field?.name ?? fieldName);
  return { header: names.join('.'), path: names.map((n) => n.toLowerCase()) };
}

function fieldsOf(org: Pick<EmulatorOrg, 'describe'>, objectName: string): DescribeField[] {
  return (org.describe(objectName)?.fields ?? []) as DescribeField[];
}

/** One CSV row per record; a missing parent gives empty cells. */
export function csvRows(records: SObjectValues[], columns: QueryColumn[]): string[][] {
  return records.map((record) => columns.map((c) => csvValue(valueAt(record, c.path))));
}

function valueAt(record: SObjectValues, path: string[]): unknown {
  let current: unknown = record;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return null;
    const entries = current as Record<string, unknown>;
    const actual = key in entries ? key : Object.keys(entries).find((k) => k.toLowerCase() === key);
    current = actual === undefined ? null : entries[actual];
  }
  return current;
}

/** Bulk query CSV: null as an empty cell, booleans as true/false, datetimes in UTC with a Z. */
function csvValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/.test(value) ? value.replace('+0000', 'Z') : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
