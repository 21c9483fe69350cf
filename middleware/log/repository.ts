// Writes and reads integration log rows. Writes are batched: one insert per sync batch, not per record.
import type { Db } from '../db/knex.ts';
import { jsonForDb, withoutNul } from '../db/text.ts';
import type { LogRow } from './catalogue.ts';

/**
 * Messages quote Salesforce data (names, values), which may hold NUL characters PostgreSQL refuses: they
 * are dropped here, or one odd account name would fail the log insert and with it the whole run.
 */
export async function writeLog(db: Db, rows: readonly LogRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500).map((row) => ({ ...row, message: withoutNul(row.message), suggestion: row.suggestion === null ? null : withoutNul(row.suggestion), details: jsonForDb(row.details) }));
    await db('integration_log').insert(chunk);
  }
}
