// The small part of Tooling SOQL the emulator answers: `SELECT … FROM CustomField WHERE TableEnumOrId =
// 'Account' [AND DeveloperName = 'X'] [LIMIT n]`. Anything else is refused as MALFORMED_QUERY rather
// than answered wrongly.
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type { WhereClause } from '@jetstreamapp/soql-parser-js';
import { SoqlError } from '../contracts.ts';

/** Columns of the Tooling CustomField entity the emulator can fill. */
export const CUSTOM_FIELD_COLUMNS = ['Id', 'DeveloperName', 'TableEnumOrId', 'NamespacePrefix', 'FullName', 'Description',
  'InlineHelpText', 'CreatedDate', 'LastModifiedDate'] as const;

export interface CustomFieldQuery {
  columns: string[]; // canonical names, in query order
  tableEnumOrId: string;
  developerName?: string;
  id?: string;
  limit?: number;
}

export function parseCustomFieldQuery(soql: string): CustomFieldQuery {
  let parsed: ReturnType<typeof parseQuery>;
  try {
    parsed = parseQuery(soql);
  } catch (error) {
    throw new SoqlError('MALFORMED_QUERY', (error as Error).message);
  }
  if (parsed.sObject?.toLowerCase() !== 'customfield') {
    throw new SoqlError('MALFORMED_QUERY', `The org emulator's Tooling API answers queries on CustomField only, not ${parsed.sObject ?? '(none)'}`);
  }
  const columns = (parsed.fields ?? []).map((field) => {
    const name = field.type === 'Field' ? field.field : undefined;
    const canonical = CUSTOM_FIELD_COLUMNS.find((c) => c.toLowerCase() === name?.toLowerCase());
    if (!canonical) throw new SoqlError('INVALID_FIELD', `No such column '${name ?? field.type}' on entity 'CustomField' in the org emulator`);
    return canonical;
  });
  const conditions = new Map<string, string>();
  collectEqualities(parsed.where, conditions);
  const tableEnumOrId = conditions.get('tableenumorid');
  if (!tableEnumOrId) throw new SoqlError('MALFORMED_QUERY', "The org emulator's Tooling query on CustomField needs WHERE TableEnumOrId = '<object>'");
  const query: CustomFieldQuery = { columns, tableEnumOrId };
  const developerName = conditions.get('developername');
  if (developerName !== undefined) query.developerName = developerName;
  const id = conditions.get('id');
  if (id !== undefined) query.id = id;
  if (parsed.limit !== undefined) query.limit = parsed.limit;
  if (parsed.orderBy || parsed.groupBy || parsed.offset !== undefined) {
    throw new SoqlError('MALFORMED_QUERY', "The org emulator's Tooling query on CustomField supports WHERE … = … AND … and LIMIT only");
  }
  return query;
}

function collectEqualities(where: WhereClause | undefined, into: Map<string, string>): void {
  if (!where) return;
  const left = where.left as { field?: string; operator?: string; value?: unknown; literalType?: string } | undefined;
  const supportedField = left?.field && ['tableenumorid', 'developername', 'id'].includes(left.field.toLowerCase());
  if (!left || !supportedField || left.operator !== '=' || left.literalType !== 'STRING' || typeof left.value !== 'string') {
    throw new SoqlError('MALFORMED_QUERY', "The org emulator's Tooling query on CustomField supports TableEnumOrId, DeveloperName and Id = 'literal' joined by AND");
  }
  into.set((left.field as string).toLowerCase(), unquote(left.value));
  const rest = where as { operator?: string; right?: WhereClause };
  if (rest.right) {
    if (rest.operator !== 'AND') throw new SoqlError('MALFORMED_QUERY', "The org emulator's Tooling query on CustomField supports AND only");
    collectEqualities(rest.right, into);
  }
}

function unquote(literal: string): string {
  return literal.replace(/^'|'$/g, '').replace(/\\(.)/g, '$1');
}
