// The rows of one sObject with the indexes queries and DML need: by Id, by unique/external-id/idLookup
// value (live rows only), by parent reference (for child subqueries and cascades), and a log ordered by
// SystemModstamp so `WHERE SystemModstamp >= X ORDER BY SystemModstamp, Id` never scans the table.
import type { FieldInfo } from '../schema/field-describe.ts';
import type { ObjectSchema } from '../schema/object-schema.ts';

/** A stored record: canonical field names; datetimes as epoch ms, dates as `YYYY-MM-DD`. Never mutated. */
export type Row = Readonly<Record<string, unknown>>;

/** One id, or several (arrays: far lighter than Sets for the usual handful of children). */
type IdSet = string | string[];

function addTo(map: Map<string, IdSet>, key: string, id: string): void {
  const current = map.get(key);
  if (current === undefined) map.set(key, id);
  else if (typeof current === 'string') {
    if (current !== id) map.set(key, [current, id]);
  } else if (!current.includes(id)) current.push(id);
}

function removeFrom(map: Map<string, IdSet>, key: string, id: string): void {
  const current = map.get(key);
  if (current === undefined) return;
  if (typeof current === 'string') {
    if (current === id) map.delete(key);
    return;
  }
  const at = current.indexOf(id);
  if (at >= 0) current.splice(at, 1);
  if (current.length === 1) map.set(key, current[0] as string);
  else if (current.length === 0) map.delete(key);
}

function idsOf(value: IdSet | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

/** Reference fields whose parents are users or record types get no index: few parents, huge fan-out. */
const UNINDEXED_REFERENCES = new Set(['CreatedById', 'LastModifiedById', 'OwnerId', 'RecordTypeId', 'MasterRecordId']);

export function indexKey(field: FieldInfo, value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const text = String(value);
  return field.caseSensitive ? text : text.toLowerCase();
}

export class Table {
  private readonly byId = new Map<string, Row>();
  private readonly valueIndexes = new Map<string, Map<string, IdSet>>();
  private readonly refIndexes = new Map<string, Map<string, IdSet>>();
  private stampLog: number[] = [];
  private idLog: string[] = [];
  private staleEntries = 0;
  private live = 0;

  constructor(readonly schema: ObjectSchema) {
    this.refreshIndexes();
  }

  get size(): number {
    return this.byId.size;
  }

  get liveCount(): number {
    return this.live;
  }

  get(id: string): Row | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<Row> {
    return this.byId.values();
  }

  /** Which fields may have a value index: unique, external ids and idLookup fields (Id excluded). */
  static isValueIndexed(field: FieldInfo): boolean {
    return field.type !== 'id' && (field.unique || field.externalId || field.idLookup);
  }

  /** Unique and external-id fields are indexed from the start (every write checks them); other idLookup fields on first use. */
  private static isEager(field: FieldInfo): boolean {
    return field.type !== 'id' && (field.unique || field.externalId);
  }

  /** Brings indexes in line with the schema after it changed (a deployed external id field …). */
  refreshIndexes(): void {
    for (const field of this.schema.fields) if (Table.isEager(field)) this.ensureValueIndex(field);
    for (const name of [...this.valueIndexes.keys()]) {
      const field = this.schema.field(name);
      if (!field || !Table.isValueIndexed(field)) this.valueIndexes.delete(name);
    }
    for (const name of [...this.refIndexes.keys()]) if (this.schema.field(name)?.type !== 'reference') this.refIndexes.delete(name);
  }

  private ensureValueIndex(field: FieldInfo): Map<string, IdSet> {
    let index = this.valueIndexes.get(field.name);
    if (!index) {
      index = new Map<string, IdSet>();
      for (const row of this.byId.values()) {
        const key = indexKey(field, row[field.name]);
        if (key !== undefined && row.IsDeleted !== true) addTo(index, key, String(row.Id));
      }
      this.valueIndexes.set(field.name, index);
    }
    return index;
  }

  private ensureRefIndex(fieldName: string): Map<string, IdSet> {
    let index = this.refIndexes.get(fieldName);
    if (!index) {
      index = new Map<string, IdSet>();
      for (const row of this.byId.values()) {
        const parent = row[fieldName];
        if (typeof parent === 'string') addTo(index, parent, String(row.Id));
      }
      this.refIndexes.set(fieldName, index);
    }
    return index;
  }

  /** True when lookups by this field's value can use an index (built on first use if need be). */
  hasValueIndex(fieldName: string): boolean {
    const field = this.schema.field(fieldName);
    return field !== undefined && Table.isValueIndexed(field);
  }

  /** True when lookups by this reference field can use an index (built on first use). */
  hasRefIndex(fieldName: string): boolean {
    const field = this.schema.field(fieldName);
    return field?.type === 'reference' && !UNINDEXED_REFERENCES.has(field.name);
  }

  /** Live rows whose field matches `value` (case-insensitively unless the field is case-sensitive). */
  findByValue(field: FieldInfo, value: unknown): string[] {
    const key = indexKey(field, value);
    if (key === undefined) return [];
    if (Table.isValueIndexed(field)) return idsOf(this.ensureValueIndex(field).get(key));
    const out: string[] = [];
    for (const row of this.byId.values()) if (row.IsDeleted !== true && indexKey(field, row[field.name]) === key) out.push(String(row.Id));
    return out;
  }

  /** Rows (deleted ones too) whose reference field points at `parentId`. */
  findByReference(fieldName: string, parentId: string): Row[] {
    if (this.hasRefIndex(fieldName)) return idsOf(this.ensureRefIndex(fieldName).get(parentId)).map((id) => this.byId.get(id) as Row);
    const out: Row[] = [];
    for (const row of this.byId.values()) if (row[fieldName] === parentId) out.push(row);
    return out;
  }

  /** Inserts or replaces a row, keeping every index in step. Returns the row it replaced. */
  put(row: Row): Row | undefined {
    const id = String(row.Id);
    const previous = this.byId.get(id);
    this.byId.set(id, row);
    this.reindexRow(id, previous, row);
    return previous;
  }

  /** Puts back the state before a write (rollback): the previous row, or no row at all. */
  restore(id: string, previous: Row | undefined): void {
    const current = this.byId.get(id);
    if (previous) this.byId.set(id, previous);
    else this.byId.delete(id);
    this.reindexRow(id, current, previous);
  }

  private reindexRow(id: string, before: Row | undefined, after: Row | undefined): void {
    const wasLive = before !== undefined && before.IsDeleted !== true;
    const isLive = after !== undefined && after.IsDeleted !== true;
    this.live += Number(isLive) - Number(wasLive);
    for (const [name, index] of this.valueIndexes) {
      const field = this.schema.field(name) as FieldInfo;
      const oldKey = wasLive ? indexKey(field, before?.[name]) : undefined;
      const newKey = isLive ? indexKey(field, after?.[name]) : undefined;
      if (oldKey === newKey) continue;
      if (oldKey !== undefined) removeFrom(index, oldKey, id);
      if (newKey !== undefined) addTo(index, newKey, id);
    }
    for (const [name, index] of this.refIndexes) {
      const oldParent = before?.[name];
      const newParent = after?.[name];
      if (oldParent === newParent) continue;
      if (typeof oldParent === 'string') removeFrom(index, oldParent, id);
      if (typeof newParent === 'string') addTo(index, newParent, id);
    }
    const oldStamp = before?.SystemModstamp;
    const newStamp = after?.SystemModstamp;
    if (oldStamp !== newStamp) {
      if (typeof oldStamp === 'number') this.staleEntries++;
      if (typeof newStamp === 'number') this.appendStamp(newStamp, id);
    }
  }

  private appendStamp(stamp: number, id: string): void {
    const last = this.stampLog[this.stampLog.length - 1];
    if (last !== undefined && stamp < last) {
      // A restored row re-activates its old entry, which is still in the log; nothing to add.
      if (this.entryExists(stamp, id)) {
        this.staleEntries--;
        return;
      }
      this.insertSorted(stamp, id);
      return;
    }
    this.stampLog.push(stamp);
    this.idLog.push(id);
    if (this.staleEntries > 10_000 && this.staleEntries > this.stampLog.length / 2) this.compact();
  }

  private entryExists(stamp: number, id: string): boolean {
    for (let i = this.lowerBound(stamp); i < this.stampLog.length && this.stampLog[i] === stamp; i++) if (this.idLog[i] === id) return true;
    return false;
  }

  private insertSorted(stamp: number, id: string): void {
    let i = this.lowerBound(stamp);
    while (i < this.stampLog.length && this.stampLog[i] === stamp && (this.idLog[i] as string) < id) i++;
    this.stampLog.splice(i, 0, stamp);
    this.idLog.splice(i, 0, id);
  }

  private compact(): void {
    const stamps: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < this.stampLog.length; i++) {
      const id = this.idLog[i] as string;
      if (this.byId.get(id)?.SystemModstamp === this.stampLog[i]) {
        stamps.push(this.stampLog[i] as number);
        ids.push(id);
      }
    }
    this.stampLog = stamps;
    this.idLog = ids;
    this.staleEntries = 0;
  }

  private lowerBound(stamp: number): number {
    let lo = 0;
    let hi = this.stampLog.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.stampLog[mid] as number) < stamp) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Rows with SystemModstamp ≥ `from` (or > when `exclusive`), ascending by (SystemModstamp, Id). */
  *byModstamp(from = Number.NEGATIVE_INFINITY, exclusive = false): Generator<Row> {
    let i = from === Number.NEGATIVE_INFINITY ? 0 : this.lowerBound(from);
    for (; i < this.stampLog.length; i++) {
      const stamp = this.stampLog[i] as number;
      if (exclusive && stamp === from) continue;
      const row = this.byId.get(this.idLog[i] as string);
      if (row && row.SystemModstamp === stamp) yield row;
    }
  }
}
