// `npm run bench -- [--quick|--large] [--scenario N,M] [--db pglite|postgres|both] [--cpu-prof]`
// Measures what prm-sync exists for — API calls against the Salesforce floor, throughput, memory, matching,
// the wizard's page time, the deal import — next to what a user would otherwise do, in one run. Writes
// bench/results/latest.json, latest.md and scaling.svg, and prints the markdown report.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioContext } from './lib/context.ts';
import { dropAllBenchDatabases, postgresVersion } from './lib/database.ts';
import { loadNow, machineFacts } from './lib/machine.ts';
import { BenchUsageError, parseBenchArgs, sizesFor, USAGE, type BenchOptions, type DatabaseKind, type ScenarioId } from './lib/options.ts';
import { renderReport } from './lib/report.ts';
import type { BenchResults, ScenarioReport } from './lib/results.ts';
import { formatMs } from './lib/stats.ts';
import { scalingChart } from './lib/svg.ts';
import { baselineReport, type BaselineData } from './scenarios/baselines.ts';
import { dealImportReport } from './scenarios/deal-import.ts';
import { incrementalReport } from './scenarios/incremental.ts';
import { initialSyncReport, initialSyncRuns, type InitialSyncRun } from './scenarios/initial-sync.ts';
import { matchingReport } from './scenarios/matching.ts';
import { scalingReport } from './scenarios/scaling.ts';
import { syncNowReport } from './scenarios/sync-now.ts';
import { wizardPageReport } from './scenarios/wizard-page.ts';

const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function availableDatabases(options: BenchOptions, skipped: string[]): Promise<{ kinds: DatabaseKind[]; versions: Record<string, string> }> {
  const versions: Record<string, string> = {};
  const kinds: DatabaseKind[] = [];
  for (const kind of options.databases) {
    if (kind === 'pglite') {
      kinds.push(kind);
      versions.pglite = 'PGlite (PostgreSQL 17 in WebAssembly, in the prm-sync process)';
      continue;
    }
    const probe = await postgresVersion(options.postgresUrl);
    if ('version' in probe) {
      kinds.push(kind);
      versions.postgres = `PostgreSQL ${probe.version} at ${options.postgresUrl.replace(/\/\/[^@]*@/, '//')}`;
    } else if (options.databases.length === 1) {
      throw new BenchUsageError(`PostgreSQL at ${options.postgresUrl} is not reachable: ${probe.error}`);
    } else {
      skipped.push(`PostgreSQL (${options.postgresUrl}) was not reachable (${probe.error}); measured on PGlite only.`);
    }
  }
  return { kinds, versions };
}

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2), process.env);
  if (options.help) return void console.log(USAGE);
  mkdirSync(resultsDir, { recursive: true });
  const started = Date.now();
  const skipped: string[] = [];
  const { kinds, versions } = await availableDatabases(options, skipped);
  const machine = machineFacts(versions);
  const ctx: ScenarioContext = { options, sizes: sizesFor(options.profile), databases: kinds, resultsDir, log };
  const reports: ScenarioReport[] = [];
  let failures = 0;
  const selected = (id: ScenarioId) => options.scenarios.has(id);

  const attempt = async (id: ScenarioId, title: string, database: string | null, work: () => Promise<ScenarioReport>) => {
    const at = Date.now();
    const load = loadNow();
    try {
      const report = await work();
      reports.push(report);
      for (const target of report.targets) log(`  target ${target.name}: ${target.measured} (${target.target}) → ${target.met === null ? 'not judged' : target.met ? 'met' : 'MISSED'}`);
    } catch (error) {
      failures += 1;
      const message = error instanceof Error ? error.message : String(error);
      log(`scenario ${id} (${database ?? 'any database'}) failed: ${message}`);
      reports.push({ id, title, database, tables: [], targets: [{ scenario: id, database, name: 'scenario ran', target: 'completes', measured: message.split('\n')[0] ?? message, met: false }], notes: [message], data: null, load: { start: load, end: loadNow() }, durationMs: Date.now() - at });
    }
  };

  log(`profile ${options.profile}; scenarios ${[...options.scenarios].join(',')}; databases ${kinds.join(', ')}; load ${machine.loadAverage.join(' ')}`);
  const initialRuns: InitialSyncRun[] = [];
  let baseline: BaselineData | null = null;
  for (const kind of kinds) {
    if (selected(1) || selected(8)) {
      await attempt(1, 'Initial sync', kind, async () => {
        const at = { at: Date.now(), load: loadNow() };
        const runs = await initialSyncRuns(ctx, kind);
        initialRuns.push(...runs);
        return initialSyncReport(ctx, kind, runs, at);
      });
    }
    if (selected(2)) await attempt(2, 'Incremental cycles', kind, () => incrementalReport(ctx, kind));
  }
  const [firstKind] = kinds;
  if (selected(3) && firstKind) {
    await attempt(3, 'Baselines', firstKind, async () => {
      const report = await baselineReport(ctx, firstKind);
      baseline = report.data as BaselineData;
      return report;
    });
  }
  for (const kind of kinds) if (selected(4)) await attempt(4, 'Sync Now', kind, () => syncNowReport(ctx, kind));
  if (selected(5)) await attempt(5, 'Matching', null, () => matchingReport(ctx));
  for (const kind of kinds) if (selected(6)) await attempt(6, 'Wizard page', kind, () => wizardPageReport(ctx, kind));
  for (const kind of kinds) if (selected(7)) await attempt(7, 'Deal import', kind, () => dealImportReport(ctx, kind));
  if (selected(8)) {
    await attempt(8, 'Scaling', null, async () => {
      const report = scalingReport(initialRuns, baseline);
      writeFileSync(path.join(resultsDir, 'scaling.svg'), scalingChart(report.data as Parameters<typeof scalingChart>[0]));
      return report;
    });
  }

  const finished = Date.now();
  const results: BenchResults = {
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
    profile: options.profile,
    scenarios: [...options.scenarios],
    databases: kinds,
    machine,
    reports,
    skipped,
  };
  const markdown = renderReport(results);
  writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(resultsDir, 'latest.md'), markdown);
  process.stdout.write(markdown);
  log(`done in ${formatMs(finished - started)}; wrote ${path.relative(process.cwd(), resultsDir)}/latest.json, latest.md${selected(8) ? ', scaling.svg' : ''}`);
  if (failures > 0) process.exitCode = 1;
}

// Interrupted: drop the schemas and data folders of the runs in flight (workers end with their IPC channel).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: dropping the benchmark databases in flight`);
    dropAllBenchDatabases().finally(() => process.exit(130));
  });
}

main().catch((error: unknown) => {
  if (error instanceof BenchUsageError) {
    console.error(`bench: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
