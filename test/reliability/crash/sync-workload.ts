// One crash-recovery scenario for the account/contact sync: a synced world is built in-process, users then
// change both sides (random edits, new records on both sides, deletions, flags), the model works out what
// every pair must end as, and the sync runs in a child process that is killed at the scenario's points and
// restarted until a run finishes. Afterwards: every pair as expected, nothing twice, cursors inside the data,
// a further cycle and a full reconcile with nothing to do.
import fc from 'fast-check';
import { fieldsOf, prmValues, sfValues } from '../model/fields.ts';
import type { Policy } from '../model/merge.ts';
import { observe, type World } from '../model/observe.ts';
import { createAccount, createContact, createOrg, userStep } from '../schedule/arbitraries.ts';
import type { Step } from '../schedule/steps.ts';
import { openScheduleEnv, resetDatabase } from '../harness/env.ts';
import { ScheduleRunner } from '../harness/runner.ts';
import type { SharedDatabase } from './database.ts';
import { describeKillPoint, runChild, type KillPoint } from './supervisor.ts';

export interface SyncCrashScenario {
  name: string;
  seed: number;
  /** Kill points, in order: one child run per point, then runs without a kill until one finishes. */
  kills: KillPoint[];
  bulkThreshold: number;
  /** User edits made while the sync is down after the first kill (before the restart). */
  editsWhileDown?: number;
}

export interface CrashReport {
  violations: string[];
  trace: string[];
  /** Kills that happened (a child that finished before its kill point was not killed). */
  kills: number;
  childRuns: number;
  /** Run records the killed processes left in state `running`. */
  unfinishedRuns: number;
}

type UserStep = Exclude<Step, { op: 'cycle' }>;

function workload(seed: number): { setup: UserStep[]; edits: UserStep[]; whileDown: UserStep[] } {
  const arbitrary = fc.record({
    orgs: fc.array(createOrg, { minLength: 6, maxLength: 8 }),
    contacts: fc.array(createContact, { minLength: 6, maxLength: 10 }),
    accounts: fc.array(createAccount, { minLength: 2, maxLength: 3 }),
    edits: fc.array(userStep, { minLength: 20, maxLength: 30 }),
    // Enough new organizations in one batch for a Bulk API job when the threshold is low.
    newOrgs: fc.array(createOrg, { minLength: 4, maxLength: 5 }),
    whileDown: fc.array(userStep, { minLength: 10, maxLength: 10 }),
  });
  const [drawn] = fc.sample(arbitrary, { seed, numRuns: 1 });
  if (!drawn) throw new Error('no workload drawn');
  return { setup: [...drawn.orgs, ...drawn.contacts, ...drawn.accounts] as UserStep[], edits: [...drawn.edits, ...drawn.newOrgs] as UserStep[], whileDown: drawn.whileDown as UserStep[] };
}

export async function runSyncCrashScenario(shared: SharedDatabase, scenario: SyncCrashScenario): Promise<CrashReport> {
  const policy: Policy = { kind: 'master_system', master: 'salesforce' };
  const db = await shared.db();
  await resetDatabase(db);
  const env = await openScheduleEnv({ policy, bulkThreshold: scenario.bulkThreshold, overlapMs: 0, clockOffsetMs: 0 }, { seed: `crash-${scenario.seed}`, fastBackoff: true });
  const runner = new ScheduleRunner(db, env, policy);
  let kills = 0;
  let childRuns = 0;
  try {
    const { setup, edits, whileDown } = workload(scenario.seed);
    for (const [i, step] of setup.entries()) await runner.step(step, `s${i + 1}`);
    await runner.quietUntilFixedPoint(5, 'setup');
    for (const [i, step] of edits.entries()) await runner.step(step, `e${i + 1}`);
    let before = await observe(runner.db, env.emulator.org);

    await shared.release();
    const settings = {
      job: 'sync' as const,
      database: shared.config,
      salesforce: env.credentials(),
      bulkThreshold: scenario.bulkThreshold,
      maxCycles: 8,
      dealStageMap: [],
    };
    let finished = false;
    for (const point of [...scenario.kills, { kind: 'none' } as const, { kind: 'none' } as const]) {
      if (finished) break;
      const outcome = await runChild(settings, point, env.emulator);
      childRuns += 1;
      if (outcome.killed) kills += 1;
      finished = outcome.done;
      const last = outcome.events.filter((e) => e.event === 'run').at(-1);
      runner.trace.push(`  child run ${childRuns} (${describeKillPoint(point)}): ${outcome.killed ? 'killed' : outcome.done ? 'finished' : 'stopped'} after ${outcome.durationMs} ms${last ? `, last run ${String(last.status)}` : ''}`);
      if (!outcome.killed && !outcome.done) runner.violations.push(`child run ${childRuns} neither finished nor was killed: ${outcome.stderr.slice(-800)} ${JSON.stringify(outcome.events.at(-1))}`);
      if (outcome.killed && childRuns === 1 && scenario.editsWhileDown) {
        // Users keep working while the sync is down: what the killed run did is checked like a cycle, then
        // the edits land on top of it (a Salesforce value it wrote without committing is not a user's edit).
        runner.db = await shared.db();
        const atKill = await observe(runner.db, env.emulator.org);
        runner.model.discover(atKill, 0);
        runner.model.checkTransitions(before, atKill, 0);
        for (const [i, step] of whileDown.slice(0, scenario.editsWhileDown).entries()) await runner.step(step, `d${i + 1}`);
        before = await observe(runner.db, env.emulator.org);
        await shared.release();
      }
    }
    if (!finished) runner.violations.push('the sync did not finish after the kills');
    runner.db = await shared.db();

    const after = await observe(runner.db, env.emulator.org);
    runner.model.discover(after, 0);
    checkExpectations(runner, before, after);
    await runner.quietUntilFixedPoint(1, 'after recovery');
    await runner.finalChecks();
    const unfinished = await runner.db('sync_runs').where({ status: 'running' }).count({ n: '*' }).first();
    return { violations: [...new Set(runner.violations)], trace: runner.trace, kills, childRuns, unfinishedRuns: Number(unfinished?.n ?? 0) };
  } finally {
    await env.close();
  }
}

/** Every pair linked at the end holds what the model said before the child ran: no lost update, no stray value. */
function checkExpectations(runner: ScheduleRunner, before: World, after: World): void {
  for (const entity of runner.model.entities) {
    if (!entity.prmId || !entity.sfId) continue;
    const kind = entity.kind;
    if (after.linkByPrm.get(`${kind}:${entity.prmId}`)?.state !== 'linked') continue;
    const postPrm = after.prm[kind].get(entity.prmId);
    const postSf = after.sf[kind].get(entity.sfId);
    if (!postPrm || !postSf) continue;
    const outcome = runner.model.expectedOutcome(entity, before.prm[kind].get(entity.prmId), before.sf[kind].get(entity.sfId), postPrm);
    const prm = prmValues(kind, postPrm);
    const sf = sfValues(kind, postSf);
    for (const field of fieldsOf(kind)) {
      const want = outcome[field.key];
      if (!want) continue;
      if ((field.flow === 'both' && prm[field.key] !== want.value) || sf[field.key] !== want.value) {
        runner.violations.push(`${entity.label}.${field.key} after recovery: expected ${JSON.stringify(want.value)} (${want.rule}), PRM has ${JSON.stringify(prm[field.key])}, Salesforce ${JSON.stringify(sf[field.key])}`);
      }
    }
  }
}
