// The two profiles of the reliability suite: `fast` (inside `npm test`, a few minutes on two cores) and
// `soak` (`npm run test:soak`). Figures of a run are written as JSON when RELIABILITY_STATS_DIR is set, so
// scripts/soak.ts can add them up across the test files.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type ProfileName = 'fast' | 'soak';

export interface Profile {
  name: ProfileName;
  /** Schedules per convergence test file (two files: master system, last modified wins). */
  schedulesPerFile: number;
  maxSteps: number;
  maxQuietCycles: number;
  /** Kill points in the crash-recovery test. */
  randomKills: number;
  /** Wizard Apply: scenarios with random kill points, and kills in the scenario that walks through every write. */
  wizardRandomScenarios: number;
  wizardWalkKills: number;
}

export function currentProfile(): Profile {
  const name = (process.env.TEST_PROFILE ?? 'fast') as ProfileName;
  if (name === 'soak') return { name, schedulesPerFile: 500, maxSteps: 24, maxQuietCycles: 5, randomKills: 70, wizardRandomScenarios: 8, wizardWalkKills: 12 };
  if (name !== 'fast') throw new Error(`TEST_PROFILE must be fast or soak, not ${String(name)}`);
  return { name, schedulesPerFile: 100, maxSteps: 12, maxQuietCycles: 5, randomKills: 1, wizardRandomScenarios: 0, wizardWalkKills: 0 };
}

/** fast-check seed: RELIABILITY_SEED replays a reported run. */
export function fastCheckSeed(): number | undefined {
  const seed = process.env.RELIABILITY_SEED;
  return seed === undefined || seed === '' ? undefined : Number(seed);
}

export class Figures {
  private readonly data: Record<string, number> = {};
  private readonly started = Date.now();

  constructor(private readonly name: string) {}

  add(key: string, amount = 1): void {
    this.data[key] = (this.data[key] ?? 0) + amount;
  }

  addAll(prefix: string, counts: Record<string, number>): void {
    for (const [key, value] of Object.entries(counts)) this.add(`${prefix}${key}`, value);
  }

  get(key: string): number {
    return this.data[key] ?? 0;
  }

  max(key: string, value: number): void {
    this.data[key] = Math.max(this.data[key] ?? 0, value);
  }

  summary(): string {
    return Object.entries(this.data)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
  }

  write(): void {
    const dir = process.env.RELIABILITY_STATS_DIR;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${this.name}-${process.env.DATABASE_URL ? 'postgres' : 'pglite'}-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ name: this.name, database: process.env.DATABASE_URL ? 'postgres' : 'pglite', durationMs: Date.now() - this.started, figures: this.data }, null, 2));
  }
}
