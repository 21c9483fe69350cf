// Scenario 8 — how cost grows with the work: scenario 1's runs at N = 1k, 10k, 100k (300k with --large)
// next to the floor and the naive per-record loop, as series for the log-log chart (bench/lib/svg.ts) and
// as a table.
import { naiveCalls, pullFloor, pushFloor } from '../lib/floors.ts';
import { loadNow } from '../lib/machine.ts';
import { CONTACTS_PER_ACCOUNT } from '../lib/prm-data.ts';
import type { ScenarioReport } from '../lib/results.ts';
import { formatCount, formatMs } from '../lib/stats.ts';
import type { BaselineData } from './baselines.ts';
import type { InitialSyncRun } from './initial-sync.ts';

export interface Series {
  label: string;
  color: string;
  dashed: boolean;
  points: Array<{ x: number; y: number }>;
}

export interface ScalingData {
  calls: Series[];
  wall: Series[];
  /** Naive loop: milliseconds per record at 0 ms latency, from scenario 3's sample (null when it did not run). */
  naiveMsPerRecord: number | null;
}

const COLORS = { push: '#0b5cab', pull: '#2e844a', floorPush: '#706e6b', floorPull: '#a0a0a0', naive: '#ba0517', postgresPush: '#5a1ba9', postgresPull: '#dd7a01' };

export function scalingData(runs: readonly InitialSyncRun[], baseline: BaselineData | null): ScalingData {
  const sizes = [...new Set(runs.map((run) => run.accounts))].sort((a, b) => a - b);
  const records = (accounts: number) => accounts * (1 + CONTACTS_PER_ACCOUNT);
  const databases = [...new Set(runs.map((run) => run.database))];
  const series = (database: string, direction: 'push' | 'pull', value: (run: InitialSyncRun) => number) =>
    runs.filter((run) => run.database === database && run.direction === direction && run.status === 'succeeded').map((run) => ({ x: run.accounts, y: value(run) }));
  const naiveSample = baseline?.runs.find((run) => run.contender === 'naive loop' && run.latencyMs === 0);
  const naiveMsPerRecord = naiveSample ? naiveSample.measuredWallMs / naiveSample.measuredRecords : null;
  const first = databases[0] ?? 'pglite';

  const calls: Series[] = [
    { label: `prm-sync push (${first})`, color: COLORS.push, dashed: false, points: series(first, 'push', (run) => run.apiCalls) },
    { label: `prm-sync pull (${first})`, color: COLORS.pull, dashed: false, points: series(first, 'pull', (run) => run.apiCalls) },
    { label: 'floor, push', color: COLORS.floorPush, dashed: true, points: sizes.map((n) => ({ x: n, y: pushFloor(n, n * CONTACTS_PER_ACCOUNT) })) },
    { label: 'floor, pull', color: COLORS.floorPull, dashed: true, points: sizes.map((n) => ({ x: n, y: pullFloor(n, n * CONTACTS_PER_ACCOUNT) })) },
    { label: 'naive loop (2 per record)', color: COLORS.naive, dashed: false, points: sizes.map((n) => ({ x: n, y: naiveCalls(records(n)) })) },
  ];
  const wall: Series[] = [];
  for (const database of databases) {
    const other = database !== first;
    wall.push({ label: `prm-sync push (${database})`, color: other ? COLORS.postgresPush : COLORS.push, dashed: false, points: series(database, 'push', (run) => run.wallMs / 1000) });
    wall.push({ label: `prm-sync pull (${database})`, color: other ? COLORS.postgresPull : COLORS.pull, dashed: false, points: series(database, 'pull', (run) => run.wallMs / 1000) });
  }
  if (naiveMsPerRecord !== null) {
    wall.push({ label: 'naive loop, 0 ms (extrapolated)', color: COLORS.naive, dashed: true, points: sizes.map((n) => ({ x: n, y: (naiveMsPerRecord * records(n)) / 1000 })) });
  }
  return { calls: calls.filter((s) => s.points.length > 0), wall: wall.filter((s) => s.points.length > 0), naiveMsPerRecord };
}

export function scalingReport(runs: readonly InitialSyncRun[], baseline: BaselineData | null): ScenarioReport {
  const started = { at: Date.now(), load: loadNow() };
  const data = scalingData(runs, baseline);
  const sizes = [...new Set(runs.map((run) => run.accounts))].sort((a, b) => a - b);
  const find = (n: number, direction: string, database: string) => runs.find((r) => r.accounts === n && r.direction === direction && r.database === database);
  const databases = [...new Set(runs.map((run) => run.database))];
  const rows = sizes.map((n) => {
    const total = n * (1 + CONTACTS_PER_ACCOUNT);
    const cells = [formatCount(n), formatCount(total)];
    const first = databases[0] ?? 'pglite';
    cells.push(formatCount(find(n, 'push', first)?.apiCalls ?? Number.NaN), formatCount(pushFloor(n, n * CONTACTS_PER_ACCOUNT)), formatCount(find(n, 'pull', first)?.apiCalls ?? Number.NaN), formatCount(pullFloor(n, n * CONTACTS_PER_ACCOUNT)), formatCount(naiveCalls(total)));
    for (const database of databases) cells.push(formatMs(find(n, 'push', database)?.wallMs ?? Number.NaN), formatMs(find(n, 'pull', database)?.wallMs ?? Number.NaN));
    cells.push(data.naiveMsPerRecord === null ? '–' : formatMs(data.naiveMsPerRecord * total));
    return cells;
  });
  return {
    id: 8,
    title: 'Scaling (scenario 1 against N) — bench/results/scaling.svg',
    database: null,
    tables: [
      {
        title: 'Cost against N',
        columns: ['accounts', 'records', 'push calls', 'push floor', 'pull calls', 'pull floor', 'naive calls', ...databases.flatMap((d) => [`push wall (${d})`, `pull wall (${d})`]), 'naive wall, 0 ms (extrapolated)'],
        rows,
      },
    ],
    targets: [],
    notes: [
      `Log-log chart in bench/results/scaling.svg. The naive loop's calls are 2 per record by construction; its wall time is ${data.naiveMsPerRecord === null ? 'not shown (scenario 3 did not run)' : `${data.naiveMsPerRecord.toFixed(2)} ms per record at 0 ms latency, measured on scenario 3's sample and extrapolated`}.`,
    ],
    data,
    load: { start: started.load, end: loadNow() },
    durationMs: Date.now() - started.at,
  };
}
