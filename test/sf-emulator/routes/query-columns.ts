// `query?q=…&columns=true`: the column metadata `sf data query` reads to lay out its table.
import type { FieldInfo } from '../schema/field-describe.ts';
import type { CompiledQuery } from '../soql/compile.ts';
import type { FieldPath } from '../soql/fields.ts';
import { isNumberType, isTextType } from '../store/values.ts';

type Column = Record<string, unknown> & { columnName: string; joinColumns: Column[] };

const APEX_TYPES: Readonly<Record<string, string>> = {
  id: 'Id', reference: 'Id', boolean: 'Boolean', double: 'Double', currency: 'Decimal', percent: 'Double', int: 'Integer', long: 'Long',
  date: 'Date', datetime: 'Datetime', time: 'Time', address: 'Address', location: 'Location',
};

function fieldColumn(field: FieldInfo, displayName: string): Column {
  return {
    aggregate: false, apexType: APEX_TYPES[field.type] ?? 'String', booleanType: field.type === 'boolean', columnName: field.name, custom: field.custom,
    displayName, foreignKeyName: null, insertable: field.createable, joinColumns: [], numberType: isNumberType(field.type), textType: isTextType(field.type), updatable: field.updateable,
  };
}

function joinColumn(name: string, displayName: string, foreignKey: string | null): Column {
  return { aggregate: false, apexType: null, booleanType: false, columnName: name, custom: false, displayName, foreignKeyName: foreignKey, insertable: false, joinColumns: [], numberType: false, textType: false, updatable: false };
}

function addPath(columns: Column[], path: FieldPath): void {
  let level = columns;
  const names: string[] = [];
  for (const hop of path.hops) {
    names.push(hop.relationshipName);
    let join = level.find((c) => c.columnName === hop.relationshipName && c.apexType === null);
    if (!join) {
      join = joinColumn(hop.relationshipName, names.join('.'), hop.reference.name);
      level.push(join);
    }
    level = join.joinColumns;
  }
  level.push(fieldColumn(path.field, path.text));
}

function columnsOf(compiled: CompiledQuery): Column[] {
  const columns: Column[] = [];
  for (const item of compiled.select) {
    if (item.kind === 'field') addPath(columns, item.path);
    else columns.push({ ...joinColumn(item.relationship.relationshipName, item.relationship.relationshipName, null), aggregate: true, joinColumns: columnsOf(item.query) });
  }
  for (const aggregate of compiled.aggregates) {
    const type = aggregate.fn === 'COUNT' || aggregate.fn === 'COUNT_DISTINCT' ? 'Integer' : aggregate.path ? (APEX_TYPES[aggregate.path.field.type] ?? 'String') : 'Integer';
    columns.push({ ...joinColumn(aggregate.alias, aggregate.display, null), aggregate: true, apexType: type, numberType: type !== 'String' });
  }
  if (compiled.countOnly) columns.push({ ...joinColumn('expr0', 'COUNT()', null), aggregate: true, apexType: 'Integer', numberType: true });
  return columns;
}

export function columnMetadata(compiled: CompiledQuery): Record<string, unknown> {
  return {
    columnMetadata: columnsOf(compiled),
    entityName: compiled.aggregates.length > 0 ? 'AggregateResult' : compiled.schema.name,
    groupBy: false,
    idSelected: compiled.select.some((s) => s.kind === 'field' && s.path.hops.length === 0 && s.path.field.name === 'Id'),
    keyPrefix: compiled.aggregates.length > 0 ? null : compiled.schema.keyPrefix,
  };
}
