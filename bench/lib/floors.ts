// The fewest Salesforce API calls a piece of work can take, from the platform's own limits — what every
// measured call count is compared with. Pure.
//
// - A SOQL page holds at most 2,000 rows; even an empty answer is one call, and a sync cannot know that
//   Salesforce has nothing for it without asking, so every enabled object costs at least one read.
// - sObject Collections write at most 200 records a call.
// - One Bulk API 2.0 ingest job costs at least 5 calls whatever its size: create, upload the CSV, close,
//   one status check that finds it complete, and the successful results (the new record ids). The failed
//   and unprocessed results can be skipped when the job info reports no failures.
// A write therefore costs min(ceil(n / 200), 5) calls at best.

export const QUERY_PAGE_ROWS = 2000;
export const COLLECTION_RECORDS = 200;
export const BULK_JOB_MIN_CALLS = 5;

export function readFloor(records: number): number {
  return Math.max(1, Math.ceil(records / QUERY_PAGE_ROWS));
}

export function writeFloor(records: number): number {
  if (records <= 0) return 0;
  return Math.min(Math.ceil(records / COLLECTION_RECORDS), BULK_JOB_MIN_CALLS);
}

/** PRM has the records, Salesforce is empty: one empty read per object, then the writes. */
export function pushFloor(accounts: number, contacts: number): number {
  return readFloor(0) + readFloor(0) + writeFloor(accounts) + writeFloor(contacts);
}

/**
 * Salesforce has the flagged records, the PRM is empty: read every page, then write the PRM ids back
 * (they make later upserts idempotent and let a re-flagged record relink).
 */
export function pullFloor(accounts: number, contacts: number): number {
  return readFloor(accounts) + readFloor(contacts) + writeFloor(accounts) + writeFloor(contacts);
}

/** One incremental cycle over both objects: read what changed in Salesforce, write what changed in the PRM. */
export function incrementalFloor(changes: { sfAccounts: number; sfContacts: number; prmAccounts: number; prmContacts: number }): number {
  return readFloor(changes.sfAccounts) + readFloor(changes.sfContacts) + writeFloor(changes.prmAccounts) + writeFloor(changes.prmContacts);
}

/** Deal import: read the candidate opportunities, write each imported deal's id and URL back. */
export function dealImportFloor(opportunities: number, writeBacks: number): number {
  return readFloor(opportunities) + writeFloor(writeBacks);
}

/** The target for call counts: at most 1.2 × the floor plus 2. */
export function callTarget(floor: number): number {
  return Math.floor(1.2 * floor + 2);
}

/** The naive per-record loop: one query and one write for every record. */
export function naiveCalls(records: number): number {
  return 2 * records;
}
