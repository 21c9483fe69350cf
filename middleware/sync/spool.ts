// Salesforce writes an object pass defers to its end, so that all of them go out together: one Bulk API
// job for 100,000 new records instead of one per page, or full collection calls instead of a half-empty
// one per page. Only writes whose unconfirmed state is already durable are deferred (see apply.ts), so a
// crash before the flush loses nothing. Rows stay in memory up to `spillAbove` and go to a temporary
// file (JSON lines) beyond, so memory stays flat however large the pass.
import { appendFileSync, createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RowSource } from '../salesforce/bulk-ingest.ts';

export interface SpooledWrite {
  /** What the write completes: a creation in Salesforce, a write-back of a PRM creation, or a merge. */
  kind: 'create' | 'write_back' | 'merge';
  /** What the write is keyed by in Salesforce: the external id (upsert) or the record Id (update). */
  key: string;
  prmId: string;
  /** The Salesforce record written, where known (merges and write-backs; a creation has none yet). */
  sfId?: string | null;
  /** The PRM row's change_seq the write was planned from (creations; null for write-backs). */
  prmChangeSeq: number | null;
  /** For log messages: the record's name. */
  name: string;
  values: Record<string, unknown>;
}

/** Rows kept in memory before the spool moves to a file: about the size of one page of work. */
const DEFAULT_SPILL_ABOVE = 2000;
const READ_CHUNK_BYTES = 1 << 20;

export class WriteSpool implements RowSource<SpooledWrite> {
  private memory: SpooledWrite[] = [];
  private file: string | null = null;
  private folder: string | null = null;
  private pendingLines: string[] = [];
  private size = 0;
  private columns = new Set<string>();

  constructor(private readonly spillAbove = DEFAULT_SPILL_ABOVE) {}

  get count(): number {
    return this.size;
  }

  /** Every value column any row sets, so a Bulk API job's header needs no extra pass over the file. */
  valueColumns(): ReadonlySet<string> {
    return this.columns;
  }

  append(write: SpooledWrite): void {
    this.size += 1;
    for (const column in write.values) this.columns.add(column);
    if (this.file === null && this.size <= this.spillAbove) {
      this.memory.push(write);
      return;
    }
    if (this.file === null) {
      this.folder = mkdtempSync(path.join(tmpdir(), 'prm-sync-spool-'));
      this.file = path.join(this.folder, 'writes.jsonl');
      this.pendingLines = this.memory.map((row) => JSON.stringify(row));
      this.memory = [];
    }
    this.pendingLines.push(JSON.stringify(write));
    if (this.pendingLines.length >= 1000) this.writePending();
  }

  async *rows(): AsyncGenerator<SpooledWrite> {
    if (this.file === null) {
      yield* this.memory;
      return;
    }
    this.writePending();
    // Lines split by hand from large chunks: JSON.stringify escapes every newline inside a value, and
    // readline's per-line events cost more than the parsing itself.
    let rest = '';
    for await (const chunk of createReadStream(this.file, { encoding: 'utf8', highWaterMark: READ_CHUNK_BYTES })) {
      const lines = (rest + (chunk as string)).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line) yield JSON.parse(line) as SpooledWrite;
    }
    if (rest) yield JSON.parse(rest) as SpooledWrite;
  }

  /** Forgets every row and removes the file. */
  clear(): void {
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
    this.memory = [];
    this.pendingLines = [];
    this.file = null;
    this.folder = null;
    this.size = 0;
    this.columns = new Set();
  }

  private writePending(): void {
    if (this.file === null || this.pendingLines.length === 0) return;
    appendFileSync(this.file, `${this.pendingLines.join('\n')}\n`);
    this.pendingLines = [];
  }
}
