// The convergence property both test files run (one per conflict policy): random schedules, each on a fresh
// emulated org and an emptied database, must reach a correct fixed point. A failure reports fast-check's
// shrunk schedule with the trace of what each step resolved to and every violation. The schedules are
// split into tests of a bounded size so that no single test comes near the runner's time limit.
import { test, before, after } from 'node:test';
import fc from 'fast-check';
import type { Policy } from '../model/merge.ts';
import { currentProfile, fastCheckSeed, Figures } from '../profile.ts';
import { scheduleArbitrary } from '../schedule/arbitraries.ts';
import { openWorkerEnv, type WorkerEnv } from './env.ts';
import { runSchedule, type ScheduleReport } from './run-schedule.ts';

export class ScheduleFailure extends Error {
  override name = 'ScheduleFailure';
  constructor(report: ScheduleReport) {
    super(['schedule violated the convergence properties:', ...report.violations.map((v) => `  ✗ ${v}`), 'trace:', ...report.trace].join('\n'));
  }
}

const SCHEDULES_PER_TEST = 100;

export function registerConvergenceTests(name: string, policyKind: Policy['kind'], title: string): void {
  const profile = currentProfile();
  const figures = new Figures(name);
  let worker: WorkerEnv;
  before(async () => {
    worker = await openWorkerEnv();
  });
  after(async () => {
    figures.write();
    await worker.close();
  });

  const chunks = Math.ceil(profile.schedulesPerFile / SCHEDULES_PER_TEST);
  for (let chunk = 0; chunk < chunks; chunk++) {
    const numRuns = Math.min(SCHEDULES_PER_TEST, profile.schedulesPerFile - chunk * SCHEDULES_PER_TEST);
    test(`${title} — schedules ${chunk * SCHEDULES_PER_TEST + 1}–${chunk * SCHEDULES_PER_TEST + numRuns}`, async (t) => {
      const seed = fastCheckSeed();
      await fc.assert(
        fc.asyncProperty(scheduleArbitrary({ policyKind, maxSteps: profile.maxSteps }), async (schedule) => {
          const report = await runSchedule(worker.db, schedule, { seed: `${name}-${figures.get('schedules') + 1}`, fastBackoff: true, maxQuietCycles: profile.maxQuietCycles });
          figures.add('schedules');
          figures.add('steps', schedule.steps.length);
          figures.add('cycles', report.cycles);
          figures.add('skippedSteps', report.skippedSteps);
          figures.addAll('faults.', report.faults);
          figures.add('recordFailuresInjected', report.recordFailures);
          figures.max('maxQuietCyclesToFixedPoint', report.quietCyclesToFixedPoint);
          if (report.violations.length > 0) {
            figures.add('failedSchedules');
            throw new ScheduleFailure(report);
          }
        }),
        { numRuns, seed, path: process.env.RELIABILITY_PATH || undefined, endOnFailure: process.env.RELIABILITY_NO_SHRINK === '1', includeErrorInReport: true },
      );
      t.diagnostic(figures.summary());
    });
  }
}
