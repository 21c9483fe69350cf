// Open query cursors behind `nextRecordsUrl`: the matched rows are fixed when the query runs (rows are
// immutable, so later pages show the records as they were), rendered page by page on request.
import type { CompiledQuery } from '../soql/compile.ts';
import type { Row } from '../store/table.ts';

export interface Cursor {
  id: string;
  compiled: CompiledQuery;
  rows: Row[];
  includeDeleted: boolean;
  batchSize: number;
  lastUsed: number;
}

const MAX_OPEN = 200;
const MAX_ROWS_HELD = 5_000_000;
const IDLE_MS = 15 * 60_000;

export class QueryCursors {
  private readonly open = new Map<string, Cursor>();
  private rowsHeld = 0;

  constructor(private readonly nextId: () => string) {}

  add(cursor: Omit<Cursor, 'id' | 'lastUsed'>): Cursor {
    const now = Date.now();
    for (const [id, old] of this.open) if (now - old.lastUsed > IDLE_MS) this.drop(id);
    // Oldest first out, like Salesforce closing a user's oldest cursors, so memory stays bounded.
    while (this.open.size > 0 && (this.open.size >= MAX_OPEN || this.rowsHeld + cursor.rows.length > MAX_ROWS_HELD)) {
      this.drop(this.open.keys().next().value as string);
    }
    const full: Cursor = { ...cursor, id: this.nextId(), lastUsed: now };
    this.open.set(full.id, full);
    this.rowsHeld += full.rows.length;
    return full;
  }

  private drop(id: string): void {
    const cursor = this.open.get(id);
    if (!cursor) return;
    this.rowsHeld -= cursor.rows.length;
    this.open.delete(id);
  }

  get(id: string): Cursor | undefined {
    const cursor = this.open.get(id);
    if (!cursor) return undefined;
    cursor.lastUsed = Date.now();
    this.open.delete(id);
    this.open.set(id, cursor); // most recently used last
    return cursor;
  }

  get size(): number {
    return this.open.size;
  }
}
