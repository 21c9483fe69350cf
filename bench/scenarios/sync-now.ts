// Scenario 4 — Sync Now for one record at 50 ms latency per request, 200 times in a row: an organization
// changed in the PRM is merged with its Salesforce account and written (one query, one collections call).
import { withEnvironment, withWorker, type ScenarioContext } from '../lib/context.ts';
import { loadNow } from '../lib/machine.ts';
import type { DatabaseKind } from '../lib/options.ts';
import type { ScenarioReport } from '../lib/results.ts';
import { formatCount, formatMs, mean, percentile } from '../lib/stats.ts';

const P95_TARGET_MS = 400;

export interface SyncNowData {
  accounts: number;
  runs: number;
  latencyMs: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
  callsPerRun: number;
  errors: string[];
  runsMs: number[];
}

export async function syncNowReport(ctx: ScenarioContext, kind: DatabaseKind): Promise<ScenarioReport> {
  const started = { at: Date.now(), load: loadNow() };
  const { syncNowAccounts: accounts, syncNowRuns: runs, syncNowLatencyMs: latencyMs } = ctx.sizes;
  ctx.log(`scenario 4 (${kind}): Sync Now ×${runs} at ${latencyMs} ms over ${formatCount(accounts)} linked accounts`);
  const data = await withEnvironment(ctx, kind, async (env) => {
    await withWorker(ctx, `syncnow-seed-${kind}`, { database: env.database, org: null }, (seeder) => seeder.run({ op: 'seedPrm', accounts, seed: 'bench-prm' }));
    return withWorker(ctx, `syncnow-${kind}`, env, async (worker) => {
      await worker.run({ op: 'cycle', mode: 'incremental' });
      env.org.faults.setLatency(latencyMs);
      const { result } = await worker.run({ op: 'syncNow', runs });
      const sample = result.runsMs;
      return {
        accounts,
        runs,
        latencyMs,
        p50: percentile(sample, 50),
        p95: percentile(sample, 95),
        max: Math.max(...sample),
        mean: mean(sample),
        callsPerRun: mean(result.apiCallsPerRun),
        errors: result.errors,
        runsMs: sample,
      } satisfies SyncNowData;
    });
  });
  const full = ctx.options.profile !== 'quick';
  return {
    id: 4,
    title: `Sync Now for one record (${latencyMs} ms latency)`,
    database: kind,
    tables: [
      {
        title: `Sync Now on ${kind}`,
        columns: ['runs', 'p50', 'p95', 'max', 'mean', 'API calls per run', 'errors'],
        rows: [[String(data.runs), formatMs(data.p50), formatMs(data.p95), formatMs(data.max), formatMs(data.mean), data.callsPerRun.toFixed(1), String(data.errors.length)]],
      },
    ],
    targets: [{ scenario: 4, database: kind, name: `Sync Now p95 over ${data.runs} runs at ${latencyMs} ms`, target: `≤ ${P95_TARGET_MS} ms`, measured: formatMs(data.p95), met: full ? data.p95 <= P95_TARGET_MS && data.errors.length === 0 : null }],
    notes: [
      'Measured around middleware/sync/record.ts syncRecordNow with a session opened per run, as middleware/sync/service.ts does; the record page route around it (session check, CSRF, render) is not included.',
      'Every run has a PRM change to write, so each one reads the account and writes it back.',
    ],
    data,
    load: { start: started.load, end: loadNow() },
    durationMs: Date.now() - started.at,
  };
}
