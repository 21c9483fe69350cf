// The benchmark's command line (`npm run bench -- [flags]`) and the sizes each profile measures. Pure:
// parsing and size tables only, so the runner and the tests share one definition.
import { parseArgs } from 'node:util';

export type DatabaseKind = 'pglite' | 'postgres';
export type Profile = 'quick' | 'full' | 'large';

export const SCENARIOS = [1, 2, 3, 4, 5, 6, 7, 8] as const;
export type ScenarioId = (typeof SCENARIOS)[number];

export interface BenchOptions {
  profile: Profile;
  scenarios: ReadonlySet<ScenarioId>;
  /** Requested databases; `both` becomes both kinds, PostgreSQL dropped later when unreachable. */
  databases: readonly DatabaseKind[];
  postgresUrl: string;
  /** Write V8 CPU profiles of every measured prm-sync process into bench/results/profiles. */
  cpuProfile: boolean;
  help: boolean;
}

export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

export const USAGE = `Usage: npm run bench -- [options]
  --quick               small sizes (< 2 minutes): keeps the harness working, asserts nothing about speed
  --large               adds the 300k profile to scenarios 1 and 8
  --scenario N[,M]      only these scenarios (1 initial sync, 2 incremental, 3 baselines, 4 Sync Now,
                        5 matching, 6 wizard page, 7 deal import, 8 scaling chart)
  --db pglite|postgres|both   databases to measure on (default both, with --quick pglite; PostgreSQL from
                        BENCH_DATABASE_URL, else postgres://root@127.0.0.1:5432/test, skipped with a note
                        when unreachable)
  --cpu-prof            V8 CPU profiles of the measured prm-sync processes (bench/results/profiles)
  --help`;

export const DEFAULT_POSTGRES_URL = 'postgres://root@127.0.0.1:5432/test';

export function parseBenchArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean', default: false },
        large: { type: 'boolean', default: false },
        scenario: { type: 'string' },
        db: { type: 'string' },
        'cpu-prof': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  if (values.quick && values.large) throw new BenchUsageError('--quick and --large exclude each other');
  // The quick profile keeps the harness working in CI within two minutes: one database unless asked.
  const databases = parseDatabases(values.db ?? (values.quick ? 'pglite' : 'both'));
  const postgresUrl = env.BENCH_DATABASE_URL ?? DEFAULT_POSTGRES_URL;
  if (!/^postgres(ql)?:\/\//.test(postgresUrl)) throw new BenchUsageError(`BENCH_DATABASE_URL must be a postgres:// URL, got "${postgresUrl}"`);
  return {
    profile: values.quick ? 'quick' : values.large ? 'large' : 'full',
    scenarios: parseScenarios(values.scenario),
    databases,
    postgresUrl,
    cpuProfile: values['cpu-prof'],
    help: values.help,
  };
}

function parseDatabases(text: string): DatabaseKind[] {
  if (text === 'both') return ['pglite', 'postgres'];
  if (text === 'pglite' || text === 'postgres') return [text];
  throw new BenchUsageError(`--db must be pglite, postgres or both, got "${text}"`);
}

export function parseScenarios(text: string | undefined): Set<ScenarioId> {
  if (text === undefined) return new Set(SCENARIOS);
  const out = new Set<ScenarioId>();
  for (const part of text.split(',')) {
    const id = Number(part.trim());
    if (!SCENARIOS.includes(id as ScenarioId)) throw new BenchUsageError(`--scenario takes numbers from 1 to 8 separated by commas, got "${text}"`);
    out.add(id as ScenarioId);
  }
  return out;
}

/** How much work each scenario does in a profile. */
export interface BenchSizes {
  /** Scenario 1 and the scaling chart: accounts (each with two contacts). */
  initialSync: readonly number[];
  /** Scenario 2: accounts in the org before the incremental cycles, and the changes per cycle. */
  incrementalBase: number;
  incrementalChanges: readonly number[];
  /** Scenario 3: accounts (two contacts each) pushed by prm-sync and by the `sf` CLI. */
  baselineAccounts: number;
  /** Scenario 3: accounts (two contacts each) the naive loop really writes; the rest is extrapolated. */
  naiveSampleAccounts: number;
  latencies: readonly number[];
  /** Scenario 4. */
  syncNowAccounts: number;
  syncNowRuns: number;
  syncNowLatencyMs: number;
  /** Scenario 5: records on each side. */
  matching: readonly number[];
  /** Scenario 6: stored organizations and Salesforce accounts, and pages measured. */
  wizardRecords: number;
  wizardPages: number;
  /** Scenario 7. */
  dealOpportunities: number;
}

export function sizesFor(profile: Profile): BenchSizes {
  if (profile === 'quick') {
    return {
      initialSync: [100, 1100],
      incrementalBase: 300,
      incrementalChanges: [0, 10],
      baselineAccounts: 300,
      naiveSampleAccounts: 10,
      latencies: [0, 50],
      syncNowAccounts: 50,
      syncNowRuns: 20,
      syncNowLatencyMs: 50,
      matching: [2000],
      wizardRecords: 3000,
      wizardPages: 10,
      dealOpportunities: 500,
    };
  }
  return {
    initialSync: profile === 'large' ? [1000, 10_000, 100_000, 300_000] : [1000, 10_000, 100_000],
    incrementalBase: 10_000,
    incrementalChanges: [0, 10, 1000, 10_000],
    baselineAccounts: 10_000,
    naiveSampleAccounts: 250,
    latencies: [0, 50],
    syncNowAccounts: 1000,
    syncNowRuns: 200,
    syncNowLatencyMs: 50,
    matching: [10_000, 100_000],
    wizardRecords: 100_000,
    wizardPages: 40,
    dealOpportunities: 10_000,
  };
}
