// Resolves SOQL field paths (`Name`, `Account.Owner.Email`) against the schema and builds fast getters.
// Errors read like Salesforce's, with the query line and a caret under the offending token.
import { SoqlError } from '../contracts.ts';
import type { FieldInfo } from '../schema/field-describe.ts';
import type { ObjectSchema } from '../schema/object-schema.ts';
import type { OrgStore } from '../store/org-store.ts';
import type { Row, Table } from '../store/table.ts';
import { renderAddress } from '../store/values.ts';

export interface Hop {
  reference: FieldInfo;
  relationshipName: string;
  target: ObjectSchema;
  table: Table;
}

export interface FieldPath {
  hops: Hop[];
  field: FieldInfo;
  /** Canonical dotted name, e.g. `Account.Name`. */
  text: string;
  /** The value for a base-object row, following the parent hops. */
  get: (row: Row) => unknown;
  /** The value read from a row of the final object itself (after the hops). */
  getOwn: (row: Row) => unknown;
}

/** A Salesforce-style error located at `token` inside `soql`. */
export function soqlError(code: SoqlError['errorCode'], soql: string, token: string, message: string): SoqlError {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const at = token ? soql.search(new RegExp(`(?<![A-Za-z0-9_.])${escaped}(?![A-Za-z0-9_])`, 'i')) : -1;
  if (at < 0) return new SoqlError(code, message);
  const before = soql.slice(0, at);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = soql.indexOf('\n', at);
  const line = soql.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  const column = at - lineStart + 1;
  return new SoqlError(code, `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${message}`);
}

export function noSuchColumn(soql: string, token: string, name: string, objectName: string): SoqlError {
  return soqlError('INVALID_FIELD', soql, token, `No such column '${name}' on entity '${objectName}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
}

export function unsupported(soql: string, token: string, what: string): SoqlError {
  return soqlError('MALFORMED_QUERY', soql, token, `${what} is not supported by the org emulator.`);
}

function valueGetter(field: FieldInfo): (row: Row) => unknown {
  const name = field.name;
  if (field.type === 'address') return (row) => renderAddress(name, row);
  if (field.type === 'boolean') return (row) => row[name] === true;
  return (row) => row[name] ?? null;
}

/**
 * Resolves `path` (already stripped of the object alias) on `schema`. Parent hops must lead to objects
 * the emulator stores; anything else is refused rather than answered wrongly.
 */
export function resolvePath(store: OrgStore, schema: ObjectSchema, path: string, soql: string): FieldPath {
  const parts = path.split('.');
  const hops: Hop[] = [];
  let current = schema;
  for (const part of parts.slice(0, -1)) {
    const reference = current.parentRelationship(part);
    if (!reference) {
      throw soqlError('INVALID_FIELD', soql, path, `Didn't understand relationship '${part}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`);
    }
    const targetName = reference.referenceTo.find((name) => store.table(name)) ?? reference.referenceTo[0] ?? '?';
    const table = store.table(targetName);
    if (!table) throw unsupported(soql, path, `The relationship ${current.name}.${reference.relationshipName} (to ${targetName})`);
    if (reference.referenceTo.length > 1) throw unsupported(soql, path, `The polymorphic relationship ${current.name}.${reference.relationshipName}`);
    hops.push({ reference, relationshipName: String(reference.relationshipName), target: table.schema, table });
    current = table.schema;
  }
  const last = parts[parts.length - 1] as string;
  const field = current.field(last);
  if (!field) throw noSuchColumn(soql, path, hops.length > 0 ? path : last, current.name);
  const text = [...hops.map((h) => h.relationshipName), field.name].join('.');
  const own = valueGetter(field);
  if (hops.length === 0) return { hops, field, text, get: own, getOwn: own };
  const get = (row: Row): unknown => {
    let current: Row | undefined = row;
    for (const hop of hops) {
      const id: unknown = current[hop.reference.name];
      if (typeof id !== 'string') return null;
      current = hop.table.get(id);
      if (!current) return null;
    }
    return own(current);
  };
  return { hops, field, text, get, getOwn: own };
}

/** Strips the object alias (`a.Name` with `FROM Account a`) from a path. */
export function withoutAlias(path: string, alias: string | undefined): string {
  if (!alias) return path;
  const prefix = `${alias.toLowerCase()}.`;
  return path.toLowerCase().startsWith(prefix) ? path.slice(prefix.length) : path;
}
