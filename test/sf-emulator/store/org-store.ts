// The org's state: schemas, one table per sObject, the id factory, the write clock and a rollback
// journal. DML (dml.ts) and SOQL (../soql) work on it; org.ts puts the EmulatorOrg face on it.
import { IdFactory } from '../core/ids.ts';
import { ModstampClock } from '../core/time.ts';
import type { ObjectSchema } from '../schema/object-schema.ts';
import type { Row, Table } from './table.ts';

interface JournalEntry {
  table: Table;
  id: string;
  previous: Row | undefined;
}

export class OrgStore {
  private readonly schemasByLower = new Map<string, ObjectSchema>();
  private readonly tablesByName = new Map<string, Table>();
  private readonly tablesByPrefix = new Map<string, Table>();
  private readonly journals: JournalEntry[][] = [];
  readonly ids: IdFactory;
  readonly clock: ModstampClock;
  /** The user DML runs as when the caller names none (the integration user once seeded). */
  defaultUserId = '';
  orgId = '';
  instanceUrl = 'http://127.0.0.1';

  constructor(options: { now?: () => number; idPod?: string } = {}) {
    this.clock = new ModstampClock(options.now);
    this.ids = new IdFactory(options.idPod);
  }

  addTable(table: Table): void {
    this.schemasByLower.set(table.schema.name.toLowerCase(), table.schema);
    this.tablesByName.set(table.schema.name, table);
    this.tablesByPrefix.set(table.schema.keyPrefix, table);
  }

  schema(objectName: string): ObjectSchema | undefined {
    return this.schemasByLower.get(objectName.toLowerCase());
  }

  table(objectName: string): Table | undefined {
    const schema = this.schema(objectName);
    return schema ? this.tablesByName.get(schema.name) : undefined;
  }

  tableForId(id: string): Table | undefined {
    return this.tablesByPrefix.get(id.slice(0, 3));
  }

  get tables(): readonly Table[] {
    return [...this.tablesByName.values()];
  }

  /** Every write goes through here so an open transaction can roll it back. */
  write(table: Table, row: Row): void {
    const previous = table.put(row);
    const journal = this.journals[this.journals.length - 1];
    if (journal) journal.push({ table, id: String(row.Id), previous });
  }

  /**
   * Runs `work` so its writes can be undone: when `keep(result)` says no, every write is rolled back.
   * Nested calls join the enclosing transaction's fate once they keep their own writes.
   */
  atomically<T>(work: () => T, keep: (result: T) => boolean = () => true): T {
    const journal: JournalEntry[] = [];
    this.journals.push(journal);
    let result: T;
    try {
      result = work();
    } catch (error) {
      this.journals.pop();
      this.undo(journal);
      throw error;
    }
    this.journals.pop();
    if (!keep(result)) {
      this.undo(journal);
      return result;
    }
    this.journals[this.journals.length - 1]?.push(...journal);
    return result;
  }

  private undo(journal: JournalEntry[]): void {
    for (let i = journal.length - 1; i >= 0; i--) {
      const entry = journal[i] as JournalEntry;
      entry.table.restore(entry.id, entry.previous);
    }
  }
}
