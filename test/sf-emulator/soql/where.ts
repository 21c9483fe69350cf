// WHERE clauses: rebuilds the boolean tree from the parser's flat, parenthesis-counting form, checks
// every literal against its field's type the way Salesforce does, and compiles it into a predicate.
// Top-level AND terms on Id, indexed fields and SystemModstamp are also reported as index hints.
import type { Condition, LiteralType, Query, ValueCondition, WhereClause } from '@jetstreamapp/soql-parser-js';
import { canonicalId } from '../core/ids.ts';
import { formatDate, parseDate, parseDateTime } from '../core/time.ts';
import type { FieldInfo } from '../schema/field-describe.ts';
import type { ObjectSchema } from '../schema/object-schema.ts';
import type { OrgStore } from '../store/org-store.ts';
import type { Row } from '../store/table.ts';
import { isNumberType, isTextType } from '../store/values.ts';
import { dateLiteralRange } from './date-literals.ts';
import { resolvePath, soqlError, unsupported, withoutAlias, type FieldPath } from './fields.ts';

export type Predicate = (row: Row) => boolean;

export type IndexHint =
  | { kind: 'id'; ids: string[] }
  | { kind: 'value'; field: FieldInfo; values: unknown[] }
  | { kind: 'reference'; field: string; ids: string[] }
  | { kind: 'modstamp'; from: number; exclusive: boolean };

export interface WhereContext {
  store: OrgStore;
  schema: ObjectSchema;
  alias?: string;
  soql: string;
  now: number;
  /** Compiles a semi-join subquery (`Id IN (SELECT AccountId FROM Contact)`) into a lazy id set. */
  semiJoin: (query: Query) => () => ReadonlySet<string>;
}

type Operand = { kind: 'null' } | { kind: 'scalar'; value: string | number | boolean } | { kind: 'range'; start: string | number; end: string | number };

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | { condition: Condition };

function flatten(where: WhereClause): Token[] {
  const tokens: Token[] = [];
  let node: WhereClause | undefined = where;
  while (node) {
    const left = node.left as (Condition & { openParen?: number; closeParen?: number }) | null;
    if (left) {
      for (let i = 0; i < (left.openParen ?? 0); i++) tokens.push('(');
      if ('field' in left || 'fn' in left) tokens.push({ condition: left });
      for (let i = 0; i < (left.closeParen ?? 0); i++) tokens.push(')');
    }
    const operator = 'operator' in node ? String(node.operator).toUpperCase() : undefined;
    if (operator === 'AND' || operator === 'OR' || operator === 'NOT') tokens.push(operator);
    node = 'right' in node ? (node.right as WhereClause) : undefined;
  }
  return tokens;
}

interface Compiled {
  predicate: Predicate;
  hint?: IndexHint;
  conjuncts?: Compiled[];
}

/** The WHERE clause as one predicate plus index hints from its top-level AND terms. */
export function compileWhere(ctx: WhereContext, where: WhereClause): { predicate: Predicate; hints: IndexHint[] } {
  const tokens = flatten(where);
  let position = 0;
  const malformed = (what: string) => soqlError('MALFORMED_QUERY', ctx.soql, 'WHERE', what);

  const parseExpression = (): Compiled => {
    const items = [parseUnary()];
    let joiner: 'AND' | 'OR' | undefined;
    while (tokens[position] === 'AND' || tokens[position] === 'OR') {
      const op = tokens[position] as 'AND' | 'OR';
      if (joiner && joiner !== op) throw malformed(`unexpected token: ${op} (use parentheses when mixing AND and OR)`);
      joiner = op;
      position++;
      items.push(parseUnary());
    }
    if (items.length === 1) return items[0] as Compiled;
    const predicates = items.map((i) => i.predicate);
    if (joiner === 'AND') return { predicate: (row) => predicates.every((p) => p(row)), conjuncts: items };
    return { predicate: (row) => predicates.some((p) => p(row)) };
  };

  const parseUnary = (): Compiled => {
    const token = tokens[position++];
    if (token === 'NOT') {
      const inner = parseUnary().predicate;
      return { predicate: (row) => !inner(row) };
    }
    if (token === '(') {
      const inner = parseExpression();
      if (tokens[position++] !== ')') throw malformed('unbalanced parentheses in WHERE');
      return inner;
    }
    if (token && typeof token === 'object') return compileCondition(ctx, token.condition);
    throw malformed('unexpected token in WHERE');
  };

  const root = parseExpression();
  if (position !== tokens.length) throw malformed('unexpected token in WHERE');
  const terms = root.conjuncts ?? [root];
  return { predicate: root.predicate, hints: terms.flatMap((t) => (t.hint ? [t.hint] : [])) };
}

function unescapeSoqlString(raw: string, keepLikeEscapes: boolean): string {
  const body = raw.slice(1, -1);
  return body.replace(/\\(.)/g, (_, ch: string) => {
    switch (ch) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'b': return '\b';
      case 'f': return '\f';
      case '%':
      case '_': return keepLikeEscapes ? `\\${ch}` : ch;
      default: return ch;
    }
  });
}

function likeRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      source += pattern[++i];
    } else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

const TYPE_NAMES: Readonly<Record<string, string>> = { double: 'double', currency: 'double', percent: 'double', int: 'int', long: 'long', boolean: 'boolean', date: 'date', datetime: 'dateTime' };

function literalOperand(ctx: WhereContext, path: FieldPath, raw: string, literalType: LiteralType, dateN?: number): Operand {
  const field = path.field;
  const type = field.type;
  const wrongType = () => soqlError('INVALID_FIELD', ctx.soql, raw, `value of filter criterion for field '${path.text}' must be of type ${TYPE_NAMES[type] ?? 'string'} and should not be enclosed in quotes`);
  if (literalType === 'NULL') return { kind: 'null' };
  if (literalType === 'APEX_BIND_VARIABLE' || literalType.endsWith('CURRENCY_PREFIX')) throw unsupported(ctx.soql, raw, `The literal ${raw}`);
  if (type === 'id' || type === 'reference') {
    if (literalType !== 'STRING') throw wrongType();
    const text = unescapeSoqlString(raw, false);
    const id = canonicalId(text);
    if (!id) throw soqlError('INVALID_QUERY_FILTER_OPERATOR', ctx.soql, raw, `invalid ID field: ${text}`);
    return { kind: 'scalar', value: id };
  }
  if (isTextType(type)) {
    if (literalType !== 'STRING') throw soqlError('INVALID_FIELD', ctx.soql, raw, `value of filter criterion for field '${path.text}' must be of type string and should be enclosed in quotes`);
    return { kind: 'scalar', value: unescapeSoqlString(raw, false).toUpperCase() };
  }
  if (isNumberType(type)) {
    if (literalType !== 'INTEGER' && literalType !== 'DECIMAL') throw wrongType();
    return { kind: 'scalar', value: Number(raw) };
  }
  if (type === 'boolean') {
    if (literalType !== 'BOOLEAN') throw wrongType();
    return { kind: 'scalar', value: raw.toUpperCase() === 'TRUE' };
  }
  if (type === 'date' || type === 'datetime') {
    if (literalType === 'DATE_LITERAL' || literalType === 'DATE_N_LITERAL') {
      const range = dateLiteralRange(dateN === undefined ? raw : raw.replace(/:.*$/, `:${dateN}`), ctx.now);
      if (!range) throw unsupported(ctx.soql, raw, `The date literal ${raw}`);
      return type === 'date' ? { kind: 'range', start: formatDate(range.start), end: formatDate(range.end) } : { kind: 'range', start: range.start, end: range.end };
    }
    if (type === 'date' && literalType === 'DATE' && parseDate(raw) !== undefined) return { kind: 'scalar', value: raw };
    if (type === 'datetime' && literalType === 'DATETIME') {
      const ms = parseDateTime(raw);
      if (ms !== undefined) return { kind: 'scalar', value: ms };
    }
    throw wrongType();
  }
  throw soqlError('INVALID_FIELD', ctx.soql, path.text, `field '${path.text}' can not be filtered in a query call`);
}

/** Normalizes a stored value for comparison with operands built above. */
function comparable(field: FieldInfo): (value: unknown) => string | number | boolean | null {
  if (isTextType(field.type)) return (v) => (typeof v === 'string' ? v.toUpperCase() : v === null || v === undefined ? null : String(v).toUpperCase());
  return (v) => (v === undefined ? null : (v as string | number | boolean | null));
}

function equals(value: string | number | boolean | null, operand: Operand): boolean {
  if (operand.kind === 'null') return value === null;
  if (value === null) return false;
  if (operand.kind === 'range') return value >= operand.start && value < operand.end;
  return value === operand.value;
}

function compare(op: string, value: string | number | boolean | null, operand: Operand): boolean {
  if (value === null || operand.kind === 'null') return false;
  if (operand.kind === 'range') {
    if (op === '<') return value < operand.start;
    if (op === '<=') return value < operand.end;
    if (op === '>') return value >= operand.end;
    return value >= operand.start;
  }
  const other = operand.value;
  if (op === '<') return value < other;
  if (op === '<=') return value <= other;
  if (op === '>') return value > other;
  return value >= other;
}

function multiSet(value: unknown): Set<string> {
  return new Set(typeof value === 'string' && value !== '' ? value.split(';').map((v) => v.toUpperCase()) : []);
}

function compileCondition(ctx: WhereContext, condition: Condition): Compiled {
  if (!('field' in condition)) throw unsupported(ctx.soql, 'WHERE', 'A function in WHERE');
  const operator = String(condition.operator).toUpperCase();
  const fieldText = withoutAlias(condition.field, ctx.alias);
  const path = resolvePath(ctx.store, ctx.schema, fieldText, ctx.soql);
  const field = path.field;
  if (!field.filterable) throw soqlError('INVALID_FIELD', ctx.soql, fieldText, `field '${path.text}' can not be filtered in a query call`);

  if ('valueQuery' in condition && condition.valueQuery) {
    if (operator !== 'IN' && operator !== 'NOT IN') throw soqlError('MALFORMED_QUERY', ctx.soql, fieldText, 'A semi-join subquery needs IN or NOT IN');
    if (field.type !== 'id' && field.type !== 'reference') throw soqlError('INVALID_FIELD', ctx.soql, fieldText, `Semi join sub-selects are only allowed on Id or reference fields: ${path.text}`);
    const ids = ctx.semiJoin(condition.valueQuery);
    const get = path.get;
    const negate = operator === 'NOT IN';
    return { predicate: (row) => ids().has(String(get(row))) !== negate };
  }

  const valueCondition = condition as ValueCondition & { dateLiteralVariable?: number | number[] };
  const rawValues = Array.isArray(valueCondition.value) ? valueCondition.value : [valueCondition.value];
  const literalTypes = Array.isArray(valueCondition.literalType) ? valueCondition.literalType : rawValues.map(() => valueCondition.literalType ?? 'STRING');
  const dateNs = Array.isArray(valueCondition.dateLiteralVariable) ? valueCondition.dateLiteralVariable : [valueCondition.dateLiteralVariable];
  const isList = operator === 'IN' || operator === 'NOT IN' || operator === 'INCLUDES' || operator === 'EXCLUDES';
  if (!isList && rawValues.length !== 1) throw soqlError('MALFORMED_QUERY', ctx.soql, fieldText, `unexpected list for operator ${operator}`);
  const get = path.get;

  if (operator === 'LIKE') {
    if (!isTextType(field.type) || literalTypes[0] !== 'STRING') throw soqlError('INVALID_QUERY_FILTER_OPERATOR', ctx.soql, fieldText, `invalid operator on ${field.type} field: LIKE`);
    const regex = likeRegex(unescapeSoqlString(String(rawValues[0]), true));
    return { predicate: (row) => { const v = get(row); return typeof v === 'string' && regex.test(v); } };
  }
  if (operator === 'INCLUDES' || operator === 'EXCLUDES') {
    if (field.type !== 'multipicklist') throw soqlError('INVALID_QUERY_FILTER_OPERATOR', ctx.soql, fieldText, 'includes or excludes operator only valid on multipicklist field');
    const wanted = rawValues.map((raw) => [...multiSet(unescapeSoqlString(String(raw), false))]);
    const matches = (row: Row) => { const have = multiSet(get(row)); return wanted.some((all) => all.every((v) => have.has(v))); };
    return { predicate: operator === 'INCLUDES' ? matches : (row) => !matches(row) };
  }

  const operands = rawValues.map((raw, i) => literalOperand(ctx, path, String(raw), (literalTypes[i] ?? 'STRING') as LiteralType, dateNs[i] as number | undefined));
  const norm = comparable(field);
  const ordered = operator === '<' || operator === '<=' || operator === '>' || operator === '>=';
  if (ordered && field.type === 'boolean') throw soqlError('INVALID_QUERY_FILTER_OPERATOR', ctx.soql, fieldText, `invalid operator on boolean field: ${operator}`);
  const multiEqual = field.type === 'multipicklist' && (operator === '=' || operator === '!=');
  let predicate: Predicate;
  if (multiEqual) {
    const target = operands[0]?.kind === 'scalar' ? [...multiSet(String(operands[0].value))].sort().join(';') : null;
    predicate = (row) => { const have = [...multiSet(get(row))].sort().join(';') || null; return (have === target) === (operator === '='); };
  } else if (operator === '=' || operator === 'IN') {
    const only = operands[0] as Operand;
    predicate = operands.length === 1 ? (row) => equals(norm(get(row)), only) : (row) => { const v = norm(get(row)); return operands.some((o) => equals(v, o)); };
  } else if (operator === '!=' || operator === 'NOT IN') {
    predicate = (row) => { const v = norm(get(row)); return !operands.some((o) => equals(v, o)); };
  } else if (ordered) {
    const only = operands[0] as Operand;
    predicate = (row) => compare(operator, norm(get(row)), only);
  } else {
    throw soqlError('MALFORMED_QUERY', ctx.soql, fieldText, `unexpected operator: ${operator}`);
  }
  return { predicate, hint: indexHint(ctx, path, operator, operands) };
}

function indexHint(ctx: WhereContext, path: FieldPath, operator: string, operands: Operand[]): IndexHint | undefined {
  if (path.hops.length > 0) return undefined;
  const field = path.field;
  const scalars = operands.filter((o): o is { kind: 'scalar'; value: string | number | boolean } => o.kind === 'scalar');
  if ((operator === '=' || operator === 'IN') && scalars.length === operands.length) {
    if (field.type === 'id') return { kind: 'id', ids: scalars.map((o) => String(o.value)) };
    const table = ctx.store.table(ctx.schema.name);
    if (table?.hasValueIndex(field.name) && !field.caseSensitive) return { kind: 'value', field, values: scalars.map((o) => o.value) };
    if (field.type === 'reference' && table?.hasRefIndex(field.name)) return { kind: 'reference', field: field.name, ids: scalars.map((o) => String(o.value)) };
  }
  if (field.name === 'SystemModstamp' && (operator === '>=' || operator === '>') && operands.length === 1) {
    const operand = operands[0] as Operand;
    if (operand.kind === 'scalar' && typeof operand.value === 'number') return { kind: 'modstamp', from: operand.value, exclusive: operator === '>' };
    if (operand.kind === 'range' && typeof operand.start === 'number') return operator === '>=' ? { kind: 'modstamp', from: operand.start, exclusive: false } : { kind: 'modstamp', from: operand.end as number, exclusive: false };
  }
  return undefined;
}
