// Scenario 2 — incremental cycles on an org already in sync (N accounts pushed, echoes read back), with
// 0, 10, 1k and 10k changes. Half of each change set is made in the PRM (organization phones, through the
// REST API's way of writing), half in Salesforce (account websites, edited in the org). Cycles run as the
// schedule runs them, five minutes apart on the org's clock (moved on instead of waited for): each measured
// cycle follows an unmeasured one that read back the echoes of the previous writes. Finally a quiet cycle
// run right after one that read a burst shows what the 60 s cursor overlap re-reads when cycles come
// closer together than the overlap.
import { setTimeout as sleep } from 'node:timers/promises';
import { withEnvironment, withWorker, type ScenarioContext } from '../lib/context.ts';
import { callTarget, incrementalFloor } from '../lib/floors.ts';
import { loadNow } from '../lib/machine.ts';
import type { DatabaseKind } from '../lib/options.ts';
import { changeSalesforceAccounts, type Org } from '../lib/org.ts';
import type { ScenarioReport, TargetCheck } from '../lib/results.ts';
import { formatCount, formatEndpoints, formatMs, formatRatio, ratio } from '../lib/stats.ts';
import type { WorkerHandle } from '../lib/worker-client.ts';
import { explainCalls } from './initial-sync.ts';
import type { SyncCycleResult } from '../worker/protocol.ts';

/** middleware/sync/object-pass.ts holds back the PRM cursor for rows younger than 10 s. */
const PRM_COMMIT_LAG_MS = 10_000;
const ENABLED_OBJECTS = 2;
/** The product's default cursor overlap (middleware/sync/plan.ts). */
const OVERLAP_MS = 60_000;
/** The product's default incremental schedule: every five minutes. */
const SCHEDULE_INTERVAL_MS = 5 * 60_000;

export interface IncrementalRun {
  changes: number;
  overlapMs: number;
  prmChanges: number;
  sfChanges: number;
  apiCalls: number;
  byEndpoint: Record<string, number>;
  floor: number;
  wallMs: number;
  sfRead: number;
  prmRead: number;
  written: number;
  status: string;
  /** Set when the cycle ran right after the previous one, not an interval later. */
  backToBack?: boolean;
}

function toRun(changes: number, overlapMs: number, prmChanges: number, sfChanges: number, result: SyncCycleResult, wallMs: number): IncrementalRun {
  const c = result.counts;
  return {
    changes,
    overlapMs,
    prmChanges,
    sfChanges,
    apiCalls: result.apiCalls,
    byEndpoint: result.apiCallsByEndpoint,
    floor: incrementalFloor({ sfAccounts: sfChanges, sfContacts: 0, prmAccounts: prmChanges, prmContacts: 0 }),
    wallMs,
    sfRead: c.sfRead ?? 0,
    prmRead: c.prmRead ?? 0,
    written: (c.toSalesforce ?? 0) + (c.toPrm ?? 0) + (c.createdInSalesforce ?? 0) + (c.createdInPrm ?? 0),
    status: result.status,
  };
}

/**
 * The scheduled cycle after this one: the org's clock moves on by the interval, then one unmeasured cycle
 * reads back the echoes of the previous writes. Waiting out the PRM commit lag first lets the PRM cursor
 * pass the rows written so far; it changes no API call count, only PRM re-reads, so the quick profile
 * skips the wait.
 */
async function settle(worker: WorkerHandle, org: Org, waitForCommitLag: boolean, intervalMs = SCHEDULE_INTERVAL_MS): Promise<void> {
  if (waitForCommitLag) await sleep(PRM_COMMIT_LAG_MS + 500);
  org.advanceClock(intervalMs);
  await worker.run({ op: 'cycle', mode: 'incremental' });
}

export async function incrementalReport(ctx: ScenarioContext, kind: DatabaseKind): Promise<ScenarioReport> {
  const started = { at: Date.now(), load: loadNow() };
  const base = ctx.sizes.incrementalBase;
  const runs: IncrementalRun[] = [];
  const wait = ctx.options.profile !== 'quick';
  await withEnvironment(ctx, kind, async (env) => {
    const org = env.org as Org;
    await withWorker(ctx, `incremental-seed-${kind}`, { database: env.database, org: null }, (seeder) => seeder.run({ op: 'seedPrm', accounts: base, seed: 'bench-prm' }));
    await withWorker(ctx, `incremental-${kind}`, env, async (worker) => {
      ctx.log(`scenario 2 (${kind}): initial push of ${formatCount(base)} accounts`);
      await worker.run({ op: 'cycle', mode: 'incremental' });
      await settle(worker, org, wait);
      for (const changes of ctx.sizes.incrementalChanges) {
        const prmChanges = Math.ceil(changes / 2);
        const sfChanges = changes - prmChanges;
        org.advanceClock(SCHEDULE_INTERVAL_MS);
        await worker.run({ op: 'changePrm', organizations: prmChanges, contacts: 0, offset: 0 });
        changeSalesforceAccounts(org, sfChanges);
        const { result, measured } = await worker.run({ op: 'cycle', mode: 'incremental' });
        runs.push(toRun(changes, OVERLAP_MS, prmChanges, sfChanges, result, measured.wallMs));
        ctx.log(`  ${changes} changes: ${result.apiCalls} calls, ${formatMs(measured.wallMs)} (${formatEndpoints(result.apiCallsByEndpoint)})`);
        // After the last change set, the echoes are read right away (no interval), and so is the next cycle.
        const last = changes === ctx.sizes.incrementalChanges.at(-1);
        await settle(worker, org, wait, last ? 0 : SCHEDULE_INTERVAL_MS);
      }
      // The last settle cycle read the echoes of the largest change set right after its writes; a cycle
      // right after it re-reads them: they were stamped within the overlap before its query.
      const { result, measured } = await worker.run({ op: 'cycle', mode: 'incremental' });
      runs.push({ ...toRun(0, OVERLAP_MS, 0, 0, result, measured.wallMs), backToBack: true });
    });
  });

  const full = ctx.options.profile !== 'quick';
  const quiet = runs.find((run) => run.changes === 0 && !run.backToBack);
  const targets: TargetCheck[] = [];
  if (quiet) {
    targets.push({
      scenario: 2,
      database: kind,
      name: '0 changes: calls per enabled object',
      target: '≤ 1 per object (≤ 2)',
      measured: `${quiet.apiCalls} (${formatEndpoints(quiet.byEndpoint)})`,
      met: full ? quiet.apiCalls <= ENABLED_OBJECTS : null,
      note: quiet.apiCalls > ENABLED_OBJECTS ? `re-read ${formatCount(quiet.sfRead)} unchanged records` : undefined,
    });
  }
  for (const run of runs.filter((r) => r.changes > 0)) {
    const met = run.apiCalls <= callTarget(run.floor);
    targets.push({
      scenario: 2,
      database: kind,
      name: `${formatCount(run.changes)} changes: API calls ≤ 1.2 × floor + 2`,
      target: `≤ ${callTarget(run.floor)} (floor ${run.floor})`,
      measured: String(run.apiCalls),
      met: full ? met : null,
      note: met ? undefined : `read ${formatCount(run.sfRead)} records for ${formatCount(run.sfChanges)} Salesforce changes${run.sfRead > run.sfChanges ? ' (overlap re-read)' : ''}; ${explainCalls(run.byEndpoint)}`,
    });
  }
  return {
    id: 2,
    title: `Incremental cycles (${formatCount(base)} accounts in sync)`,
    database: kind,
    tables: [
      {
        title: `Incremental cycles on ${kind}`,
        columns: ['changes (PRM + Salesforce)', 'overlap', 'API calls', 'floor', 'calls / floor', 'wall', 'read from Salesforce', 'read from PRM', 'written', 'calls by endpoint'],
        rows: runs.map((run) => [
          `${formatCount(run.changes)} (${formatCount(run.prmChanges)} + ${formatCount(run.sfChanges)})${run.backToBack ? ', right after the previous cycle' : ''}`,
          `${run.overlapMs / 1000} s`,
          formatCount(run.apiCalls),
          formatCount(run.floor),
          formatRatio(ratio(run.apiCalls, run.floor)),
          formatMs(run.wallMs),
          formatCount(run.sfRead),
          formatCount(run.prmRead),
          formatCount(run.written),
          formatEndpoints(run.byEndpoint),
        ]),
      },
    ],
    targets,
    notes: [
      'Changes: half on organizations in the PRM (phone), half on accounts in Salesforce (website). Floor = ceil(changed accounts/2000) query pages (at least one per object) + the writes of the PRM changes.',
      `Cycles run five minutes apart on the org's clock, as the default schedule runs them (the emulated org's clock is moved on; nothing else is). Before each measured cycle one unmeasured cycle has read back the echoes of the previous writes${wait ? ', and the PRM rows are older than the 10 s commit lag' : ' (quick profile: without waiting out the 10 s PRM commit lag, so PRM rows may be re-read; API calls are unaffected)'}.`,
      'The last row is a quiet cycle run right after the one that read back the echoes of the largest change set, itself run right after the writes: with cycles closer together than the 60 s cursor overlap, what was stamped in the minute before the previous query is read once more.',
    ],
    data: runs,
    load: { start: started.load, end: loadNow() },
    durationMs: Date.now() - started.at,
  };
}
