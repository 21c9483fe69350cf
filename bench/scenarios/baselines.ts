// Scenario 3 — prm-sync next to what a user would otherwise do, on the same PRM data, in the same run, at
// 0 ms and 50 ms injected latency per request:
//   naive loop: a script that, for every record, queries Salesforce by PRM_Id__c and then creates or
//               updates it through jsforce (two calls a record). Run on a sample of the accounts and their
//               contacts and extrapolated linearly to the whole set (its cost per record is constant);
//   sf CLI:     `sf data upsert bulk` for accounts, then for contacts (a one-off load: no links, no PRM ids
//               back, nothing incremental afterwards).
// Each contender writes into a fresh, empty org.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withWorker, type ScenarioContext } from '../lib/context.ts';
import { createBenchDatabase, type BenchDatabase } from '../lib/database.ts';
import { naiveCalls } from '../lib/floors.ts';
import { loadNow } from '../lib/machine.ts';
import type { DatabaseKind } from '../lib/options.ts';
import { countLinkedInOrg, startOrg } from '../lib/org.ts';
import { CONTACTS_PER_ACCOUNT } from '../lib/prm-data.ts';
import type { ScenarioReport, Table, TargetCheck } from '../lib/results.ts';
import { sfCli } from '../lib/sf-cli.ts';
import { formatCount, formatEndpoints, formatMs, formatRatio, ratio } from '../lib/stats.ts';

export type Contender = 'prm-sync' | 'naive loop' | 'sf CLI bulk';

export interface ContenderRun {
  contender: Contender;
  latencyMs: number;
  records: number;
  /** Records really written in this run (the naive loop's sample). */
  measuredRecords: number;
  apiCalls: number;
  measuredCalls: number;
  wallMs: number;
  measuredWallMs: number;
  extrapolated: boolean;
  byEndpoint: Record<string, number>;
  verified: string;
}

export interface BaselineData {
  accounts: number;
  contacts: number;
  naiveSampleAccounts: number;
  runs: ContenderRun[];
}

const TARGET_LATENCY_MS = 50;
const TARGET_CALL_RATIO = 100;
const TARGET_WALL_RATIO = 20;

async function runPrmSync(ctx: ScenarioContext, database: BenchDatabase, latencyMs: number, records: number): Promise<ContenderRun> {
  const org = await startOrg(latencyMs);
  try {
    return await withWorker(ctx, `baseline-prm-sync-${latencyMs}ms`, { database, org }, async (worker) => {
      await worker.run({ op: 'resetSync' });
      org.ledger.reset();
      const { result, measured } = await worker.run({ op: 'cycle', mode: 'incremental' });
      const linked = countLinkedInOrg(org);
      return { contender: 'prm-sync', latencyMs, records, measuredRecords: records, apiCalls: result.apiCalls, measuredCalls: result.apiCalls, wallMs: measured.wallMs, measuredWallMs: measured.wallMs, extrapolated: false, byEndpoint: result.apiCallsByEndpoint, verified: `${linked.accounts} + ${linked.contacts} in the org (${result.status})` };
    });
  } finally {
    await org.close();
  }
}

async function runNaiveLoop(ctx: ScenarioContext, database: BenchDatabase, latencyMs: number, records: number, sampleAccounts: number): Promise<ContenderRun> {
  const org = await startOrg(latencyMs);
  try {
    return await withWorker(ctx, `baseline-naive-${latencyMs}ms`, { database, org }, async (worker) => {
      org.ledger.reset();
      const { result, measured } = await worker.run({ op: 'naiveLoop', accounts: sampleAccounts });
      const sample = result.accounts + result.contacts;
      const linked = countLinkedInOrg(org);
      return {
        contender: 'naive loop',
        latencyMs,
        records,
        measuredRecords: sample,
        apiCalls: naiveCalls(records),
        measuredCalls: org.ledger.total(),
        wallMs: (measured.wallMs / sample) * records,
        measuredWallMs: measured.wallMs,
        extrapolated: sample < records,
        byEndpoint: org.ledger.counts(),
        verified: `${linked.accounts} + ${linked.contacts} in the org`,
      };
    });
  } finally {
    await org.close();
  }
}

async function runSfCli(latencyMs: number, records: number, files: { accounts: string; contacts: string }, workDir: string): Promise<ContenderRun> {
  const org = await startOrg(latencyMs);
  try {
    const cli = sfCli(path.join(workDir, `sf-${latencyMs}`), org.accessToken);
    await cli.login(org.url, 'bench');
    org.ledger.reset();
    const accounts = await cli.upsertBulk('bench', 'Account', files.accounts, 'PRM_Id__c');
    const contacts = await cli.upsertBulk('bench', 'Contact', files.contacts, 'PRM_Id__c');
    const linked = countLinkedInOrg(org);
    const wallMs = accounts.wallMs + contacts.wallMs;
    return { contender: 'sf CLI bulk', latencyMs, records, measuredRecords: records, apiCalls: org.ledger.total(), measuredCalls: org.ledger.total(), wallMs, measuredWallMs: wallMs, extrapolated: false, byEndpoint: org.ledger.counts(), verified: `${linked.accounts} + ${linked.contacts} in the org` };
  } finally {
    await org.close();
  }
}

export async function baselineReport(ctx: ScenarioContext, kind: DatabaseKind): Promise<ScenarioReport> {
  const started = { at: Date.now(), load: loadNow() };
  const accounts = ctx.sizes.baselineAccounts;
  const contacts = accounts * CONTACTS_PER_ACCOUNT;
  const records = accounts + contacts;
  const sample = Math.min(ctx.sizes.naiveSampleAccounts, accounts);
  const workDir = mkdtempSync(path.join(tmpdir(), 'prm-sync-bench-baseline-'));
  const database = await createBenchDatabase(kind, ctx.options.postgresUrl);
  const runs: ContenderRun[] = [];
  try {
    const files = await withWorker(ctx, `baseline-seed-${kind}`, { database, org: null }, async (seeder) => {
      await seeder.run({ op: 'seedPrm', accounts, seed: 'bench-prm' });
      return (await seeder.run({ op: 'exportCsv', directory: workDir })).result;
    });
    for (const latencyMs of ctx.sizes.latencies) {
      ctx.log(`scenario 3 (${kind}, ${latencyMs} ms): prm-sync, naive loop on ${sample} accounts + ${sample * CONTACTS_PER_ACCOUNT} contacts, sf CLI`);
      for (const run of [
        await runPrmSync(ctx, database, latencyMs, records),
        await runNaiveLoop(ctx, database, latencyMs, records, sample),
        await runSfCli(latencyMs, records, files, workDir),
      ]) {
        ctx.log(`  ${run.contender}: ${run.apiCalls} calls, ${formatMs(run.wallMs)}${run.extrapolated ? ' (extrapolated)' : ''}`);
        runs.push(run);
      }
    }
  } finally {
    await database.drop();
    rmSync(workDir, { recursive: true, force: true });
  }
  return buildReport(ctx, kind, { accounts, contacts, naiveSampleAccounts: sample, runs }, started);
}

function buildReport(ctx: ScenarioContext, kind: DatabaseKind, data: BaselineData, started: { at: number; load: number }): ScenarioReport {
  const prmAt = (latencyMs: number) => data.runs.find((r) => r.contender === 'prm-sync' && r.latencyMs === latencyMs);
  const table: Table = {
    title: `${formatCount(data.accounts)} accounts + ${formatCount(data.contacts)} contacts, ${kind}`,
    columns: ['latency', 'contender', 'API calls', 'wall', 'calls vs prm-sync', 'wall vs prm-sync', 'measured on', 'calls by endpoint', 'result'],
    rows: data.runs.map((run) => {
      const prm = prmAt(run.latencyMs);
      return [
        `${run.latencyMs} ms`,
        run.contender,
        formatCount(run.apiCalls) + (run.extrapolated ? ' (2 per record)' : ''),
        formatMs(run.wallMs) + (run.extrapolated ? ' (extrapolated)' : ''),
        run.contender === 'prm-sync' ? '1×' : formatRatio(ratio(run.apiCalls, prm?.apiCalls ?? Number.NaN)),
        run.contender === 'prm-sync' ? '1×' : formatRatio(ratio(run.wallMs, prm?.wallMs ?? Number.NaN)),
        run.extrapolated ? `${formatCount(run.measuredRecords)} records: ${formatCount(run.measuredCalls)} calls in ${formatMs(run.measuredWallMs)}` : 'all records',
        formatEndpoints(run.byEndpoint),
        run.verified,
      ];
    }),
  };
  const targets: TargetCheck[] = [];
  const full = ctx.options.profile !== 'quick';
  const prm = prmAt(TARGET_LATENCY_MS);
  const naive = data.runs.find((r) => r.contender === 'naive loop' && r.latencyMs === TARGET_LATENCY_MS);
  if (prm && naive) {
    const calls = ratio(naive.apiCalls, prm.apiCalls);
    const wall = ratio(naive.wallMs, prm.wallMs);
    targets.push({ scenario: 3, database: kind, name: `fewer calls than the naive loop (${formatCount(data.accounts)} accounts, 50 ms)`, target: `≥ ${TARGET_CALL_RATIO}×`, measured: formatRatio(calls), met: full ? calls >= TARGET_CALL_RATIO : null });
    targets.push({ scenario: 3, database: kind, name: `faster than the naive loop (${formatCount(data.accounts)} accounts, 50 ms)`, target: `≥ ${TARGET_WALL_RATIO}×`, measured: `${formatRatio(wall)} (naive extrapolated from ${formatCount(naive.measuredRecords)} records)`, met: full ? wall >= TARGET_WALL_RATIO : null });
  }
  return {
    id: 3,
    title: 'Baselines: naive per-record loop and sf CLI bulk upsert',
    database: kind,
    tables: [table],
    targets,
    notes: [
      `The naive loop really wrote ${formatCount(data.naiveSampleAccounts)} accounts and their ${formatCount(data.naiveSampleAccounts * CONTACTS_PER_ACCOUNT)} contacts per latency; its calls for the whole set are 2 per record by construction (checked against the sample), its wall time is extrapolated linearly from the sample.`,
      'sf CLI: `sf data upsert bulk` (Bulk API 2.0) for accounts, then contacts (Account.PRM_Id__c column); wall time of the two commands, process start included, login excluded. It is a one-off load: it writes no PRM ids back and keeps no links, so it cannot run incrementally.',
      'prm-sync: one initial push cycle with the product defaults; each contender writes into a fresh org; same PRM data.',
    ],
    data,
    load: { start: started.load, end: loadNow() },
    durationMs: Date.now() - started.at,
  };
}
