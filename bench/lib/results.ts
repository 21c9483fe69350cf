// The shapes a benchmark run produces: per scenario, tables for the report, target checks and the raw
// figures; for the run, the machine it ran on. Written to bench/results/latest.json as they are.
import type { BenchOptions, ScenarioId } from './options.ts';

export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
}

export interface TargetCheck {
  scenario: ScenarioId;
  database: string | null;
  name: string;
  target: string;
  measured: string;
  /** null: not judged (quick profile sizes differ from the target's, or the figure could not be measured). */
  met: boolean | null;
  /** What bounds the figure when the target is missed, or why it was not judged. */
  note?: string;
}

export interface ScenarioReport {
  id: ScenarioId;
  title: string;
  database: string | null;
  tables: Table[];
  targets: TargetCheck[];
  notes: string[];
  /** Raw figures for latest.json. */
  data: unknown;
  /** Load average (1 min) when the scenario started and ended: the machine is shared. */
  load: { start: number; end: number };
  durationMs: number;
}

export interface MachineFacts {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  freeMemoryGb: number;
  node: string;
  platform: string;
  databases: Record<string, string>;
  libraries: Record<string, string>;
  loadAverage: number[];
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  profile: BenchOptions['profile'];
  scenarios: ScenarioId[];
  databases: string[];
  machine: MachineFacts;
  reports: ScenarioReport[];
  skipped: string[];
}

/** A target check that is judged only at the size the target names. */
export function judged(atTargetSize: boolean, met: boolean): boolean | null {
  return atTargetSize ? met : null;
}
