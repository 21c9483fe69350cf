// Crash recovery: the sync, the deal import and the matching wizard's Apply run in a child process that is
// SIGKILLed at chosen and at random points — between the Salesforce write and the local commit, mid Bulk
// API job, mid deal import, between Apply's batches and inside them, after random delays — and restarted
// until a run finishes. Nothing may be lost or duplicated, and the cursors must stay inside the data. See
// README.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { databaseLabel } from '../helpers/db.ts';
import { openSharedDatabase, type SharedDatabase } from './crash/database.ts';
import { runDealCrashScenario } from './crash/deal-workload.ts';
import { describeKillPoint, type KillPoint } from './crash/supervisor.ts';
import { runSyncCrashScenario, type CrashReport } from './crash/sync-workload.ts';
import { runWizardCrashScenario } from './crash/wizard-workload.ts';
import { currentProfile, fastCheckSeed, Figures } from './profile.ts';

const profile = currentProfile();
const figures = new Figures('crash-recovery');
let shared: SharedDatabase;
before(async () => {
  shared = await openSharedDatabase();
});
after(async () => {
  figures.write();
  await shared.dispose();
});

function record(report: CrashReport, kills: readonly KillPoint[]): void {
  figures.add('scenarios');
  figures.add('killPoints', report.kills);
  figures.add('childRuns', report.childRuns);
  figures.add('runsLeftRunningByKills', report.unfinishedRuns);
  for (const kill of kills) figures.add(`planned.${kill.kind}`);
  assert.deepEqual(report.violations, [], report.trace.join('\n'));
}

const syncKills: Array<{ name: string; kill: KillPoint; bulkThreshold: number; editsWhileDown?: number }> = [
  { name: 'between the Salesforce write and the local commit (child kills itself), users editing while it is down', kill: { kind: 'afterWrites', writes: 1 }, bulkThreshold: 2000, editsWhileDown: 10 },
  { name: 'while Salesforce carries out an upsert (killed as the request arrives)', kill: { kind: 'atRequest', label: /^collections\.upsert$/, nth: 1 }, bulkThreshold: 2000 },
  { name: 'mid Bulk API job, as the job is closed for processing', kill: { kind: 'atRequest', label: /^bulk2\.ingest\.update$/, nth: 1 }, bulkThreshold: 3 },
  { name: 'mid Bulk API job, while polling it', kill: { kind: 'atRequest', label: /^bulk2\.ingest\.get$/, nth: 1 }, bulkThreshold: 3 },
];

for (const [index, { name, kill, bulkThreshold, editsWhileDown }] of syncKills.entries()) {
  test(`sync killed ${name}: restarted, nothing lost or duplicated (${databaseLabel()})`, async () => {
    const report = await runSyncCrashScenario(shared, { name, seed: 100 + index, kills: [kill], bulkThreshold, editsWhileDown });
    record(report, [kill]);
    assert.equal(report.kills, 1, `the kill point was never reached:\n${report.trace.join('\n')}`);
  });
}

test('deal import killed mid import (at a write-back), first import and after changes: one deal per opportunity, nothing pending', async () => {
  const kills: KillPoint[] = [{ kind: 'atRequest', label: /^collections\.update$/, nth: 2 }];
  const updateKills: KillPoint[] = [{ kind: 'atRequest', label: /^collections\.update$/, nth: 1 }];
  const report = await runDealCrashScenario(shared, { name: 'deals', seed: 1, kills, updateKills });
  record(report, [...kills, ...updateKills]);
  assert.equal(report.kills, 2, `a kill point was never reached:\n${report.trace.join('\n')}`);
});

const LABELS = [/^collections\.upsert$/, /^collections\.update$/, /^bulk2\.ingest\.create$/, /^bulk2\.ingest\.batches\.upload$/, /^bulk2\.ingest\.update$/, /^bulk2\.ingest\.get$/, /^queryAll$/, /^query/];
const killPoint: fc.Arbitrary<KillPoint> = fc.oneof(
  fc.integer({ min: 1, max: 5 }).map((writes) => ({ kind: 'afterWrites' as const, writes })),
  fc.record({ label: fc.constantFrom(...LABELS), nth: fc.integer({ min: 1, max: 3 }) }).map((p) => ({ kind: 'atRequest' as const, ...p })),
  fc.integer({ min: 20, max: 2500 }).map((ms) => ({ kind: 'afterDelay' as const, ms })),
);
const randomScenario = fc.record({
  job: fc.constantFrom('sync', 'sync', 'sync', 'deals'),
  seed: fc.nat(),
  kills: fc.array(killPoint, { minLength: 1, maxLength: 3 }),
  updateKills: fc.array(killPoint.filter((k) => k.kind !== 'afterWrites'), { maxLength: 2 }),
  bulkThreshold: fc.constantFrom(3, 2000),
  editsWhileDown: fc.constantFrom(0, 10),
});

// Random kill points, in tests of at most ten scenarios (each scenario starts two or more child processes).
const randomScenarios = fc.sample(randomScenario, { numRuns: profile.randomKills, seed: fastCheckSeed() ?? 20261122 });
for (let first = 0; first < randomScenarios.length; first += 10) {
  const batch = randomScenarios.slice(first, first + 10);
  test(`random kill points, scenarios ${first + 1}–${first + batch.length}: restarted, nothing lost or duplicated`, async (t) => {
    for (const [offset, scenario] of batch.entries()) {
      const label = `${scenario.job} #${first + offset + 1}: ${scenario.kills.map(describeKillPoint).join(' → ')}`;
      // The deal import's child has no write-call hook: there, "after N writes" becomes a write-back arrival.
      const dealKills = (points: KillPoint[]) => points.map((k): KillPoint => (k.kind === 'afterWrites' ? { kind: 'atRequest', label: /^collections\.update$/, nth: k.writes } : k));
      const report =
        scenario.job === 'sync'
          ? await runSyncCrashScenario(shared, { name: label, seed: scenario.seed, kills: scenario.kills, bulkThreshold: scenario.bulkThreshold, editsWhileDown: scenario.editsWhileDown })
          : await runDealCrashScenario(shared, { name: label, seed: scenario.seed, kills: dealKills(scenario.kills), updateKills: scenario.updateKills });
      t.diagnostic(`${label}: ${report.kills} kill(s)`);
      record(report, scenario.kills);
    }
  });
}

// The matching wizard's Apply, in batches of two decisions so that kills fall between batches and inside them.
const wizardKills: Array<{ name: string; seed: number; kills: KillPoint[] }> = [
  // Regression: the restarted Apply refused the half-made link ("the PRM record is linked already"), left it
  // without history (no undo) and its decision unapplied; and a resumed link took the values it had written
  // itself as what Salesforce held before, so undo could not restore them.
  { name: 'right after its first Salesforce write (an organization link), before the PRM commit', seed: 1, kills: [{ kind: 'afterWrites', writes: 1 }] },
  {
    name: 'after a batch committed but before its history, while Salesforce creates accounts, and among the contacts',
    seed: 2,
    kills: [
      { kind: 'atRequest', label: /^queryAll$/, nth: 2 },
      { kind: 'atRequest', label: /^collections\.upsert$/, nth: 1 },
      { kind: 'afterWrites', writes: 4 },
    ],
  },
];
for (const { name, seed, kills } of wizardKills) {
  test(`wizard Apply killed ${name}: restarted until complete, every decision applied once, undo restores both sides (${databaseLabel()})`, async () => {
    const report = await runWizardCrashScenario(shared, { name, seed, kills, batchSize: 2 });
    record(report, kills);
    assert.equal(report.kills, kills.length, `a kill point was never reached:\n${report.trace.join('\n')}`);
  });
}

if (profile.wizardWalkKills > 0) {
  // Each restarted Apply dies after one more write than the last: the kills walk through Apply's writes.
  test(`wizard Apply killed after write 1, 2, … ${profile.wizardWalkKills} of successive runs: restarted until complete`, async () => {
    const kills = Array.from({ length: profile.wizardWalkKills }, (_, i): KillPoint => ({ kind: 'afterWrites', writes: i + 1 }));
    const report = await runWizardCrashScenario(shared, { name: 'walk', seed: 3, kills, batchSize: 2 });
    record(report, kills);
  });
}

const wizardKillPoint: fc.Arbitrary<KillPoint> = fc.oneof(
  fc.integer({ min: 1, max: 10 }).map((writes) => ({ kind: 'afterWrites' as const, writes })),
  fc.record({ label: fc.constantFrom(/^collections\.update$/, /^collections\.upsert$/, /^queryAll$/), nth: fc.integer({ min: 1, max: 4 }) }).map((p) => ({ kind: 'atRequest' as const, ...p })),
  fc.integer({ min: 50, max: 4000 }).map((ms) => ({ kind: 'afterDelay' as const, ms })),
);
const wizardScenarios = fc.sample(fc.record({ seed: fc.nat(), kills: fc.array(wizardKillPoint, { minLength: 1, maxLength: 3 }), batchSize: fc.constantFrom(1, 2, 3) }), {
  numRuns: profile.wizardRandomScenarios,
  seed: (fastCheckSeed() ?? 20261124) + 1,
});
if (wizardScenarios.length > 0) {
  test(`wizard Apply at random kill points, ${wizardScenarios.length} scenarios: restarted until complete`, async (t) => {
    for (const [index, scenario] of wizardScenarios.entries()) {
      const label = `wizard #${index + 1} (batches of ${scenario.batchSize}): ${scenario.kills.map(describeKillPoint).join(' → ')}`;
      const report = await runWizardCrashScenario(shared, { name: label, ...scenario });
      t.diagnostic(`${label}: ${report.kills} kill(s)`);
      record(report, scenario.kills);
    }
  });
}

test('enough kill points were reached', (t) => {
  t.diagnostic(figures.summary());
  const needed = profile.name === 'soak' ? 50 : 6;
  assert.ok(figures.get('killPoints') >= needed, `the ${profile.name} profile must reach at least ${needed} kill points, got ${figures.get('killPoints')}`);
});
