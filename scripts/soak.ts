// `npm run test:soak`: the reliability suite's long profile (TEST_PROFILE=soak) — 1,000 convergence
// schedules under faults and 50+ crash kill points — then one summary of what ran: schedules, faults
// injected by kind, kill points, durations. Extra arguments narrow the test files as for test:node.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface FigureFile {
  name: string;
  database: string;
  durationMs: number;
  figures: Record<string, number>;
}

const statsDir = mkdtempSync(path.join(tmpdir(), 'prm-sync-soak-'));
const filters = process.argv.slice(2);
const started = Date.now();
const result = spawnSync(process.execPath, ['scripts/run-tests.mjs', ...(filters.length > 0 ? filters : ['test/reliability'])], {
  stdio: 'inherit',
  env: { ...process.env, TEST_PROFILE: 'soak', RELIABILITY_STATS_DIR: statsDir },
});

const files: FigureFile[] = readdirSync(statsDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(path.join(statsDir, f), 'utf8')) as FigureFile);
rmSync(statsDir, { recursive: true, force: true });

const total: Record<string, number> = {};
for (const file of files) for (const [key, value] of Object.entries(file.figures)) total[key] = key.startsWith('max') ? Math.max(total[key] ?? 0, value) : (total[key] ?? 0) + value;
const faults = Object.entries(total)
  .filter(([key]) => key.startsWith('faults.'))
  .sort(([a], [b]) => a.localeCompare(b));

const lines = [
  '',
  `Soak run — ${new Date().toISOString()} — ${Math.round((Date.now() - started) / 1000)} s in all, exit status ${result.status ?? 'none'}`,
  ...files.map((f) => `  ${f.name} (${f.database}): ${Math.round(f.durationMs / 1000)} s`),
  `  schedules run: ${total.schedules ?? 0} (${total.steps ?? 0} steps, ${total.cycles ?? 0} sync cycles, ${total.skippedSteps ?? 0} steps skipped for lack of a target; fixed point within ${total.maxQuietCyclesToFixedPoint ?? 0} quiet cycles at most)`,
  `  faults injected by kind: ${faults.map(([key, value]) => `${key.slice('faults.'.length)} ${value}`).join(', ') || 'none'}`,
  `  record failures injected: ${total.recordFailuresInjected ?? 0}`,
  `  crash scenarios: ${total.scenarios ?? 0}, kill points reached: ${total.killPoints ?? 0} (child runs ${total.childRuns ?? 0})`,
  `  failed schedules: ${total.failedSchedules ?? 0}`,
  `  bad inputs held: ${total.badInputsPassed ?? 0} (${Object.entries(total).filter(([key]) => key.startsWith('badInputs.')).map(([key, value]) => `${key.slice('badInputs.'.length)} ${value}`).join(', ') || 'none run'})`,
];
console.log(lines.join('\n'));
process.exit(result.status ?? 1);
