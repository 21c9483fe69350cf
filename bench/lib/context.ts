// What every scenario gets from the runner, and the one way scenarios set up a measured run: a fresh
// database and a fresh emulated org, torn down afterwards whatever happens.
import path from 'node:path';
import { createBenchDatabase, type BenchDatabase } from './database.ts';
import type { BenchOptions, BenchSizes, DatabaseKind } from './options.ts';
import { startOrg, type Org } from './org.ts';
import type { Measured } from '../worker/protocol.ts';
import { startWorker, type WorkerHandle } from './worker-client.ts';

export interface ScenarioContext {
  options: BenchOptions;
  sizes: BenchSizes;
  databases: readonly DatabaseKind[];
  resultsDir: string;
  log(message: string): void;
}

export interface RunEnvironment {
  database: BenchDatabase;
  org: Org;
}

export async function withEnvironment<T>(ctx: ScenarioContext, kind: DatabaseKind, work: (env: RunEnvironment) => Promise<T>, latencyMs = 0): Promise<T> {
  const database = await createBenchDatabase(kind, ctx.options.postgresUrl);
  let org: Org | null = null;
  try {
    org = await startOrg(latencyMs);
    return await work({ database, org });
  } finally {
    await org?.close();
    await database.drop();
  }
}

/** A prm-sync worker with the run's database open (and the org, when given), and what opening it cost. */
export async function openWorker(ctx: ScenarioContext, label: string, env: { database: BenchDatabase; org: Org | null }, overlapMs?: number): Promise<{ worker: WorkerHandle; opened: Measured }> {
  const worker = await startWorker({ label, cpuProfileDir: ctx.options.cpuProfile ? path.join(ctx.resultsDir, 'profiles') : undefined });
  try {
    const { measured } = await worker.run({ op: 'open', database: env.database.config, salesforce: env.org ? { url: env.org.url, accessToken: env.org.accessToken, refreshToken: env.org.refreshToken, username: env.org.integrationUser.username, orgId: env.org.org.orgId } : null, overlapMs });
    return { worker, opened: measured };
  } catch (error) {
    await worker.stop();
    throw error;
  }
}

/** Runs `work` with a worker and stops the worker afterwards; `opened.rssAfterMb` is its idle memory. */
export async function withWorker<T>(
  ctx: ScenarioContext,
  label: string,
  env: { database: BenchDatabase; org: Org | null },
  work: (worker: WorkerHandle, opened: Measured) => Promise<T>,
  overlapMs?: number,
): Promise<T> {
  const { worker, opened } = await openWorker(ctx, label, env, overlapMs);
  try {
    return await work(worker, opened);
  } finally {
    await worker.stop();
  }
}
