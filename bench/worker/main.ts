// Entry point of a prm-sync worker process (forked by bench/lib/worker-client.ts). Runs one command at a
// time and measures it: wall time, the process's CPU time, and peak resident memory from the kernel's
// high-water mark (VmHWM), reset right before the command so the figure is the command's own peak.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../middleware/db/knex.ts';
import { migrateToLatest } from '../../middleware/db/migrate.ts';
import { exportCsv } from './csv-export.ts';
import { dealImport, seedDealWorld } from './deals.ts';
import { matchingRun } from './matching.ts';
import { naiveLoop } from './naive-loop.ts';
import { changePrm, countPrm, resetSync, seedPrm } from './prm.ts';
import type { Measured, WorkerCommand, WorkerReply, WorkerRequest } from './protocol.ts';
import { databaseOf, newState, type WorkerState } from './state.ts';
import { runCycle, syncNowRuns } from './sync.ts';
import { closeConsole, wizardPages, wizardSetup } from './wizard-console.ts';

const state: WorkerState = newState();

async function execute(command: WorkerCommand): Promise<unknown> {
  switch (command.op) {
    case 'open': {
      state.handle = openDatabase(command.database);
      await migrateToLatest(state.handle.db);
      state.salesforce = command.salesforce;
      if (command.overlapMs !== undefined) {
        // The overlap is stored with each cursor (sync_cursors.overlap_ms); the plan's value only seeds new ones.
        state.plan = { ...state.plan, overlapMs: command.overlapMs };
        await state.handle.db('sync_cursors').update({ overlap_ms: command.overlapMs });
      }
      return null;
    }
    case 'seedPrm':
      return seedPrm(databaseOf(state), command.accounts, command.seed);
    case 'countPrm':
      return countPrm(databaseOf(state));
    case 'cycle':
      return runCycle(state, command.mode);
    case 'changePrm':
      return changePrm(databaseOf(state), command.organizations, command.contacts, command.offset);
    case 'resetSync':
      return resetSync(databaseOf(state));
    case 'naiveLoop':
      return naiveLoop(state, command.accounts);
    case 'exportCsv':
      return exportCsv(databaseOf(state), command.directory);
    case 'syncNow':
      return syncNowRuns(state, command.runs);
    case 'seedDealWorld':
      return seedDealWorld(state, command.accounts);
    case 'dealImport':
      return dealImport(state);
    case 'wizardSetup':
      return wizardSetup(state, command.records, command.seed);
    case 'wizardPages':
      return wizardPages(command.pages);
    case 'matching':
      return matchingRun(command.size, command.threads);
    case 'close':
      await closeConsole();
      await state.handle?.close();
      state.handle = null;
      return null;
  }
}

/** Resets the kernel's peak-RSS counter for this process (Linux); false where that is not possible. */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakRssMb(resetWorked: boolean): number | null {
  try {
    const match = readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+) kB/);
    if (match && resetWorked) return (Number(match[1]) * 1024) / 1e6;
  } catch {
    // not Linux: fall through to the lifetime peak
  }
  return resetWorked ? null : (process.resourceUsage().maxRSS * 1024) / 1e6;
}

async function measure(command: WorkerCommand): Promise<{ result: unknown; measured: Measured }> {
  const reset = resetPeakRss();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await execute(command);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { result, measured: { wallMs, cpuMs: (used.user + used.system) / 1000, peakRssMb: peakRssMb(reset), rssAfterMb: process.memoryUsage.rss() / 1e6 } };
}

process.on('message', (request: WorkerRequest) => {
  measure(request.command).then(
    ({ result, measured }) => send({ id: request.id, ok: true, result, measured }),
    (error: unknown) => send({ id: request.id, ok: false, error: error instanceof Error ? `${error.message}\n${error.stack?.split('\n').slice(1, 6).join('\n') ?? ''}` : String(error) }),
  );
});

// The orchestrator is gone (ended or interrupted): nothing will ask for more work.
process.on('disconnect', () => process.exit(0));

function send(reply: WorkerReply): void {
  process.send?.(reply);
}

process.send?.({ id: 0, ok: true, result: 'ready', measured: { wallMs: 0, cpuMs: 0, peakRssMb: null, rssAfterMb: process.memoryUsage.rss() / 1e6 } } satisfies WorkerReply);
// BENCH_MEMORY_TRACE=1: the worker's memory every 2 s on stderr (heap vs. external vs. the rest of RSS).
if (process.env.BENCH_MEMORY_TRACE) {
  setInterval(() => {
    const m = process.memoryUsage();
    process.stderr.write(`mem rss=${(m.rss / 1e6).toFixed(0)} heapUsed=${(m.heapUsed / 1e6).toFixed(0)} heapTotal=${(m.heapTotal / 1e6).toFixed(0)} external=${(m.external / 1e6).toFixed(0)} arrayBuffers=${(m.arrayBuffers / 1e6).toFixed(0)}\n`);
  }, 2000).unref();
}
