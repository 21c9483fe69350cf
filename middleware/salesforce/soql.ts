// SOQL built only from checked identifiers and escaped literals — never by concatenating raw input.

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

export class SoqlBuildError extends Error {
  override name = 'SoqlBuildError';
}

/** A field path such as `Name`, `PRM_Id__c` or `Account.PRM_Sync__c`, checked part by part. */
export function soqlField(path: string, knownFields?: ReadonlySet<string>): string {
  const parts = path.split('.');
  if (parts.length > 5 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw new SoqlBuildError(`"${path}" is not a valid Salesforce field name.`);
  }
  if (knownFields && parts.length === 1 && !knownFields.has(path.toLowerCase())) {
    throw new SoqlBuildError(`Field ${path} does not exist on this object (check the field mapping and the org's metadata).`);
  }
  return path;
}

export function soqlObject(name: string): string {
  if (!IDENTIFIER.test(name)) throw new SoqlBuildError(`"${name}" is not a valid Salesforce object name.`);
  return name;
}

/** A quoted string literal: backslash, quotes and control characters escaped as SOQL requires. */
export function soqlString(value: string): string {
  const escaped = value.replace(/[\\'"\n\r\t\b\f]/g, (ch) => {
    switch (ch) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\b':
        return '\\b';
      case '\f':
        return '\\f';
      default:
        return `\\${ch}`;
    }
  });
  return `'${escaped}'`;
}

/**
 * `Field LIKE '%text%'`: rows whose field contains `text` literally. SOQL has one level of escaping, so the
 * text is escaped as any literal (a backslash is `\\`) and only its own % and _ become `\%` and `\_`;
 * escaping the backslashes for LIKE as well would make `\'` look for two backslashes.
 */
export function soqlContains(field: string, text: string): string {
  const body = soqlString(text).slice(1, -1).replace(/[%_]/g, (ch) => `\\${ch}`);
  return `${soqlField(field)} LIKE '%${body}%'`;
}

/** A datetime literal (unquoted in SOQL), always UTC with milliseconds. */
export function soqlDateTime(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new SoqlBuildError('Invalid date for a SOQL datetime literal.');
  return value.toISOString().replace(/\.(\d{3})Z$/, '.$1Z');
}

export type SoqlScalar = string | number | boolean | null | Date;

export function soqlValue(value: SoqlScalar): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SoqlBuildError('Numbers in SOQL must be finite.');
    return String(value);
  }
  if (value instanceof Date) return soqlDateTime(value);
  return soqlString(value);
}

/** `Field IN ('a','b')`, with every value escaped. */
export function soqlIn(field: string, values: readonly SoqlScalar[]): string {
  if (values.length === 0) throw new SoqlBuildError(`An IN list for ${field} needs at least one value.`);
  return `${soqlField(field)} IN (${values.map(soqlValue).join(', ')})`;
}

export interface SelectSpec {
  object: string;
  fields: readonly string[];
  /** Conditions joined with AND; build each with soqlCondition/soqlIn or the helpers above. */
  where?: readonly string[];
  orderBy?: readonly string[];
  limit?: number;
  knownFields?: ReadonlySet<string>;
  /** A child subquery per entry, e.g. `(SELECT ContactId FROM OpportunityContactRoles WHERE IsPrimary = true)`. */
  subqueries?: readonly string[];
}

export function soqlCondition(field: string, operator: '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE', value: SoqlScalar): string {
  return `${soqlField(field)} ${operator} ${soqlValue(value)}`;
}

export function buildSelect(spec: SelectSpec): string {
  const fields = [...new Set(spec.fields)].map((field) => soqlField(field, spec.knownFields));
  if (fields.length === 0) throw new SoqlBuildError('A SOQL query needs at least one field.');
  let soql = `SELECT ${[...fields, ...(spec.subqueries ?? [])].join(', ')} FROM ${soqlObject(spec.object)}`;
  if (spec.where && spec.where.length > 0) soql += ` WHERE ${spec.where.map((c) => `(${c})`).join(' AND ')}`;
  if (spec.orderBy && spec.orderBy.length > 0) {
    soql += ` ORDER BY ${spec.orderBy.map((f) => soqlOrder(f)).join(', ')}`;
  }
  if (spec.limit !== undefined) {
    if (!Number.isInteger(spec.limit) || spec.limit < 1) throw new SoqlBuildError('LIMIT must be a positive whole number.');
    soql += ` LIMIT ${spec.limit}`;
  }
  return soql;
}

function soqlOrder(entry: string): string {
  const [field, direction] = entry.split(/\s+/);
  if (direction !== undefined && !/^(ASC|DESC)$/i.test(direction)) throw new SoqlBuildError(`Bad ORDER BY direction in "${entry}".`);
  return direction ? `${soqlField(field ?? '')} ${direction.toUpperCase()}` : soqlField(field ?? '');
}
