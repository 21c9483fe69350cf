// At most one run of a job at a time across every replica: a PostgreSQL session-level advisory lock,
// `pg_try_advisory_lock(hashtext(key))`, taken on a connection held for the whole run and released in
// `finally`. The key includes the schema, so deployments (or test runs) sharing one PostgreSQL database
// in separate schemas do not block each other. If the process dies, PostgreSQL drops the session and
// with it the lock, so a crash never leaves a job blocked. PGlite has a single session in which advisory
// locks are re-entrant, so an in-process guard covers the same-process case there (and saves a round
// trip on PostgreSQL).
import type { Knex } from 'knex';

export type LockOutcome<T> = { acquired: true; value: T } | { acquired: false };

const heldInProcess = new Set<string>();
/** The 32-bit lock key: the schema and the job's lock name, hashed by PostgreSQL. */
const LOCK_KEY = "hashtext(current_schema() || '|' || ?)";

/** Lock names are namespaced so prm-sync never collides with another application's advisory locks. */
export const lockName = (job: string) => `prm-sync:job:${job}`;

interface ClientWithPool {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<void>;
}

export async function withAdvisoryLock<T>(db: Knex, kind: 'postgres' | 'pglite', job: string, work: () => Promise<T>): Promise<LockOutcome<T>> {
  const name = lockName(job);
  // Key by database too: tests run several isolated databases in one process.
  const guardKey = `${databaseIdentity(db)}|${name}`;
  if (heldInProcess.has(guardKey)) return { acquired: false };
  heldInProcess.add(guardKey);
  try {
    if (kind === 'pglite') return await lockOnSharedSession(db, name, work);
    return await lockOnDedicatedConnection(db, name, work);
  } finally {
    heldInProcess.delete(guardKey);
  }
}

async function lockOnDedicatedConnection<T>(db: Knex, name: string, work: () => Promise<T>): Promise<LockOutcome<T>> {
  const client = db.client as unknown as ClientWithPool;
  const connection = await client.acquireConnection();
  try {
    const result = await db.raw(`SELECT pg_try_advisory_lock(${LOCK_KEY}) AS locked`, [name]).connection(connection);
    if (!(result.rows as Array<{ locked: boolean }>)[0]?.locked) return { acquired: false };
    try {
      return { acquired: true, value: await work() };
    } finally {
      await db.raw(`SELECT pg_advisory_unlock(${LOCK_KEY})`, [name]).connection(connection);
    }
  } finally {
    await client.releaseConnection(connection);
  }
}

/** PGlite: one session for everything, so the lock cannot hold a connection the work itself needs. */
async function lockOnSharedSession<T>(db: Knex, name: string, work: () => Promise<T>): Promise<LockOutcome<T>> {
  const result = await db.raw(`SELECT pg_try_advisory_lock(${LOCK_KEY}) AS locked`, [name]);
  if (!(result.rows as Array<{ locked: boolean }>)[0]?.locked) return { acquired: false };
  try {
    return { acquired: true, value: await work() };
  } finally {
    await db.raw(`SELECT pg_advisory_unlock(${LOCK_KEY})`, [name]);
  }
}

const identities = new WeakMap<Knex, number>();
let nextIdentity = 1;
function databaseIdentity(db: Knex): number {
  let id = identities.get(db);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(db, id);
  }
  return id;
}
