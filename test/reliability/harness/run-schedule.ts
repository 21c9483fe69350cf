// Runs one schedule end to end: the user steps and faulty cycles in order (each cycle checked against the
// reference merge), then fault-free quiet cycles until nothing is left to do, then the fixed-point checks
// and the final invariants. Returns every violation with a readable trace of what ran.
import type { Knex } from 'knex';
import type { FaultCounts } from '../schedule/faults.ts';
import { describeSchedule, describeStep, type Schedule } from '../schedule/steps.ts';
import { openScheduleEnv, resetDatabase } from './env.ts';
import { ScheduleRunner } from './runner.ts';

export interface RunOptions {
  seed: string;
  fastBackoff: boolean;
  /** Fault-free cycles allowed to reach the fixed point. */
  maxQuietCycles: number;
}

export interface ScheduleReport {
  violations: string[];
  trace: string[];
  cycles: number;
  quietCyclesToFixedPoint: number;
  faults: FaultCounts;
  recordFailures: number;
  skippedSteps: number;
}

export async function runSchedule(db: Knex, schedule: Schedule, options: RunOptions): Promise<ScheduleReport> {
  await resetDatabase(db);
  const env = await openScheduleEnv(schedule, { seed: options.seed, fastBackoff: options.fastBackoff });
  const runner = new ScheduleRunner(db, env, schedule.policy);
  try {
    for (const [i, step] of schedule.steps.entries()) {
      const number = String(i + 1).padStart(2);
      if (step.op === 'cycle') await runner.cycle(step.faults, `${number}. ${describeStep(step)}`);
      else await runner.step(step, number);
    }
    const quiet = await runner.quietUntilFixedPoint(options.maxQuietCycles);
    await runner.finalChecks();
    return {
      violations: [...new Set(runner.violations)],
      trace: [describeSchedule(schedule).split('\n')[0] ?? '', ...runner.trace],
      cycles: runner.cycles.length,
      quietCyclesToFixedPoint: quiet,
      faults: runner.recorder.injected,
      recordFailures: runner.recorder.failures().length,
      skippedSteps: runner.skippedSteps,
    };
  } finally {
    await env.close();
  }
}
