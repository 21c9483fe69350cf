// Pure rules for an ingest job's CSV: which column is which field (plain field, the record Id, or a
// parent looked up by external id such as `Account.PRM_Id__c`), and how a cell's text becomes a value
// of the field's type. A header the object cannot take fails the whole job, as on Salesforce; a bad
// cell fails only its row.
import type { SfErrorItem } from '../contracts.ts';
import type { IngestOperation } from './jobs.ts';

export interface DescribeField {
  name: string;
  type: string;
  soapType?: string;
  externalId?: boolean;
  idLookup?: boolean;
  relationshipName?: string | null;
  referenceTo?: string[];
}

export type ColumnPlan =
  | { kind: 'id'; header: string }
  | { kind: 'field'; header: string; field: DescribeField }
  | { kind: 'parent'; header: string; lookupField: DescribeField; parentObject: string; parentField: string };

export class HeaderError extends Error {}

/** The Bulk API's null marker: a cell holding it sets the field to null (an empty cell leaves it alone). */
export const NULL_MARKER = '#N/A';

export function planColumns(
  header: string[],
  fields: DescribeField[],
  operation: IngestOperation,
  describeParent: (objectName: string) => DescribeField[] | undefined,
): ColumnPlan[] {
  const byName = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  const seen = new Set<string>();
  return header.map((raw) => {
    const name = raw.trim();
    if (name === '') throw new HeaderError('InvalidBatch : Field name not found : (empty column name)');
    if (seen.has(name.toLowerCase())) throw new HeaderError(`InvalidBatch : Duplicate field name: ${name}`);
    seen.add(name.toLowerCase());
    if (name.toLowerCase() === 'id') return { kind: 'id', header: name };
    if (operation === 'delete' || operation === 'hardDelete') {
      throw new HeaderError(`InvalidBatch : Field name not found : ${name} (a delete job takes only the Id column)`);
    }
    const dot = name.indexOf('.');
    if (dot < 0) {
      const field = byName.get(name.toLowerCase());
      if (!field || field.type === 'address' || field.type === 'location') throw new HeaderError(`InvalidBatch : Field name not found : ${name}`);
      return { kind: 'field', header: name, field };
    }
    const relationship = name.slice(0, dot).toLowerCase();
    const lookupField = fields.find((f) => f.relationshipName?.toLowerCase() === relationship && (f.referenceTo?.length ?? 0) > 0);
    const parentObject = lookupField?.referenceTo?.[0];
    const parentField = parentObject
      ? describeParent(parentObject)?.find((f) => f.name.toLowerCase() === name.slice(dot + 1).toLowerCase())
      : undefined;
    if (!lookupField || !parentObject || !parentField || !(parentField.externalId || parentField.idLookup)) {
      throw new HeaderError(`InvalidBatch : Field name not found : ${name}`);
    }
    return { kind: 'parent', header: name, lookupField, parentObject, parentField: parentField.name };
  });
}

export type CellValue = { ok: true; value: unknown } | { ok: false; error: SfErrorItem };

/** Converts one non-empty cell to the field's type; `column` is 1-based, as in Salesforce's message. */
export function convertCell(text: string, field: DescribeField, column: number): CellValue {
  if (text === NULL_MARKER) return { ok: true, value: null };
  const invalid = (): CellValue => ({
    ok: false,
    error: {
      statusCode: 'INVALID_FIELD',
      message: `Failed to deserialize field at col ${column}. Due to, '${text}' is not a valid value for the type ${field.soapType ?? `xsd:${field.type}`}`,
      fields: [field.name],
    },
  });
  switch (field.type) {
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === '1') return { ok: true, value: true };
      if (lower === 'false' || lower === '0') return { ok: true, value: false };
      return invalid();
    }
    case 'int':
    case 'long':
      return /^[+-]?\d+$/.test(text.trim()) ? { ok: true, value: Number(text) } : invalid();
    case 'double':
    case 'currency':
    case 'percent': {
      const number = Number(text);
      return text.trim() !== '' && Number.isFinite(number) ? { ok: true, value: number } : invalid();
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text)) ? { ok: true, value: text } : invalid();
    case 'datetime':
      return /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) && !Number.isNaN(Date.parse(text))
        ? { ok: true, value: text }
        : invalid();
    default:
      return { ok: true, value: text };
  }
}

/** A failed row's sf__Error cell: `STATUS_CODE:message:Field1,Field2 --` (`…:--` without fields). */
export function formatRowErrors(errors: SfErrorItem[]): string {
  return errors.map((e) => `${e.statusCode}:${e.message}:${e.fields.length > 0 ? `${e.fields.join(',')} ` : ''}--`).join(' ');
}
