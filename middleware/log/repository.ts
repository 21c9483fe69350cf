// Writes and reads integration log rows. Writes are batched: one insert per sync batch, not per record.
import type { Db } from '../db/knex.ts';
import type { LogRow } from './catalogue.ts';

export async function writeLog(db: Db, rows: readonly LogRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500).map((row) => ({ ...row, details: JSON.stringify(row.details) }));
    await db('integration_log').insert(chunk);
  }
}
