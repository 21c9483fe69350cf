// Crash recovery for the matching wizard's Apply: a world with every kind of decision (wizard-world.ts) is
// applied by a child process that starts Apply as the Confirm page does, is SIGKILLed at the scenario's
// points and started again until Apply completes. After each kill the wizard must not be marked complete
// with work left; at the end every decision is applied exactly once, nothing exists twice, the first sync
// cycles write nothing back, and undo restores both sides (wizard-checks.ts).
import type { Knex } from 'knex';
import { integrationState } from '../../../middleware/sync/state.ts';
import { startEmulator } from '../../sf-emulator/index.ts';
import { resetDatabase } from '../harness/env.ts';
import type { SharedDatabase } from './database.ts';
import type { CrashReport } from './sync-workload.ts';
import { describeKillPoint, runChild, type KillPoint } from './supervisor.ts';
import { checkApplied, checkFollowingCycles, checkUndo, unappliedDecisions } from './wizard-checks.ts';
import { captureBefore, decideEverything, seedWizardWorld, wizardEnvironment } from './wizard-world.ts';

export interface WizardCrashScenario {
  name: string;
  seed: number;
  /** Kill points, in order: one child run per point, then runs without a kill until Apply completes. */
  kills: KillPoint[];
  /** Decisions per batch: small, so that the kills fall between batches as well as inside them. */
  batchSize: number;
}

const WIZARD_TABLES = ['wizard_tasks', 'wizard_link_history', 'wizard_contact_decisions', 'wizard_account_decisions', 'wizard_org_decisions', 'wizard_suggestions', 'wizard_sf_contacts', 'wizard_sf_accounts', 'integration_state'];

async function resetWizard(db: Knex): Promise<void> {
  await resetDatabase(db);
  await db.raw(`TRUNCATE ${WIZARD_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
}

/** Between runs: the wizard is complete only if nothing is left; the killed task is made stale. */
async function afterKill(db: Knex, violations: string[], run: number): Promise<void> {
  if (await integrationState.wizardCompleted(db)) {
    for (const problem of await unappliedDecisions(db)) violations.push(`after child run ${run} the wizard is marked complete, but ${problem}`);
  }
  // A killed task keeps status "running" until its heartbeat is two minutes old (another replica might still
  // be running it), and Apply cannot start again before. Those two minutes pass here at once.
  await db('wizard_tasks').where({ status: 'running' }).update({ heartbeat_at: db.raw("now() - interval '3 minutes'") });
}

/** Where Apply stands, for the trace: decisions applied, links by state, history rows. */
async function progressOf(db: Knex): Promise<string> {
  const n = async (query: Knex.QueryBuilder) => Number(((await query.count({ n: '*' }).first()) as { n: string | number }).n);
  const parts = [
    `${await n(db('wizard_org_decisions').whereNotNull('applied_at'))} organization and ${await n(db('wizard_account_decisions').whereNotNull('applied_at'))} account decisions applied`,
    `${await n(db('sync_links').where({ object: 'organization' }))} organization and ${await n(db('sync_links').where({ object: 'contact' }))} contact links (${await n(db('sync_links').whereNotNull('pending'))} with a write pending)`,
    `${await n(db('wizard_link_history'))} history rows, ${await n(db('wizard_link_before'))} "before" images`,
  ];
  return parts.join('; ');
}

export async function runWizardCrashScenario(shared: SharedDatabase, scenario: WizardCrashScenario): Promise<CrashReport> {
  const violations: string[] = [];
  const trace: string[] = [`wizard apply: ${scenario.name} (seed ${scenario.seed}, batches of ${scenario.batchSize})`];
  let db = await shared.db();
  await resetWizard(db);
  const emulator = await startEmulator({ port: 0, size: 0, users: 0, seed: `wizard-${scenario.seed}` });
  let kills = 0;
  let childRuns = 0;
  try {
    const world = await seedWizardWorld(db, emulator, scenario.seed);
    await decideEverything(wizardEnvironment(db, emulator), world);
    const before = await captureBefore(db, emulator);
    trace.push(`  world: ${world.pairs.length} pairs, ${world.createNew.length} created in Salesforce, ${world.createInPrm.length} in the PRM`);

    const settings = {
      job: 'wizard' as const,
      database: shared.config,
      salesforce: { url: emulator.url, accessToken: emulator.accessToken, refreshToken: emulator.refreshToken },
      bulkThreshold: 2000,
      maxCycles: 1,
      dealStageMap: [],
      wizardBatchSize: scenario.batchSize,
    };
    let finished = false;
    for (const point of [...scenario.kills, { kind: 'none' } as const, { kind: 'none' } as const]) {
      if (finished) break;
      await shared.release();
      const outcome = await runChild(settings, point, emulator);
      childRuns += 1;
      if (outcome.killed) kills += 1;
      finished = outcome.done;
      const last = outcome.events.filter((e) => e.event === 'run').at(-1);
      trace.push(`  child run ${childRuns} (${describeKillPoint(point)}): ${outcome.killed ? 'killed' : outcome.done ? 'finished' : 'stopped'} after ${outcome.durationMs} ms${last ? `, Apply ${String(last.status)} ${last.error ? String(last.error) : JSON.stringify(last.counts)}` : ''}`);
      if (!outcome.killed && !outcome.done) violations.push(`child run ${childRuns} neither finished nor was killed: ${outcome.stderr.slice(-800)} ${JSON.stringify(outcome.events.at(-1))}`);
      db = await shared.db();
      if (!finished) {
        await afterKill(db, violations, childRuns);
        trace.push(`    then: ${await progressOf(db)}${outcome.events.some((e) => e.event === 'self-kill') ? ` (killed after ${String(outcome.events.find((e) => e.event === 'self-kill')?.label)})` : ''}`);
      }
    }
    if (!finished) violations.push('Apply did not complete after the kills');

    const tasks = (await db('wizard_tasks').orderBy('started_at')) as Array<{ status: string; error: string | null }>;
    if (tasks.at(-1)?.status !== 'succeeded' || tasks.slice(0, -1).some((t) => t.status !== 'failed')) violations.push(`apply tasks: ${JSON.stringify(tasks.map((t) => t.status))}, expected the killed ones failed and the last succeeded`);
    violations.push(...(await checkApplied(db, emulator, world, before)));
    violations.push(...(await checkFollowingCycles(db, emulator, world, before)));
    violations.push(...(await checkUndo(db, emulator, before)));
    const unfinished = await db('sync_runs').where({ status: 'running' }).count({ n: '*' }).first();
    return { violations: [...new Set(violations)], trace, kills, childRuns, unfinishedRuns: Number(unfinished?.n ?? 0) };
  } finally {
    await emulator.close();
  }
}
