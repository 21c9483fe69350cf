// Drives one schedule's world step by step: user steps, checked cycles (faults installed, every pair's
// change checked against the reference merge), quiet cycles up to the fixed point, and the final checks.
// The convergence property and the crash-recovery workload both run on it.
import type { Knex } from 'knex';
import type { CycleSummary } from '../../../middleware/sync/cycle.ts';
import type { RunningEmulator } from '../../sf-emulator/index.ts';
import { Model } from '../model/entities.ts';
import type { Policy } from '../model/merge.ts';
import { observe, type World } from '../model/observe.ts';
import { FaultRecorder, installFaults, recordingAdapter } from '../schedule/faults.ts';
import { describeStep, type FaultSpec, type Step } from '../schedule/steps.ts';
import type { ScheduleEnv } from './env.ts';
import { emailMaker, executeStep } from './execute.ts';
import { checkFinalState, checkLogAccounting, type CycleRecord } from './invariants.ts';

/** Salesforce write calls a cycle made (collections writes and Bulk API ingest jobs). */
export function salesforceWrites(summary: CycleSummary): number {
  return Object.entries(summary.apiCallsByEndpoint)
    .filter(([label]) => (label.startsWith('collections.') && label !== 'collections.retrieve') || label === 'bulk2.ingest.POST' || (label.startsWith('sobject.') && !label.endsWith('GET')))
    .reduce((sum, [, n]) => sum + n, 0);
}

export function nonZero(counts: object): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, v]) => v !== 0));
}

export interface CycleResult {
  summary: CycleSummary;
  before: World;
  after: World;
  wroteNothing: boolean;
}

export class ScheduleRunner {
  readonly model: Model;
  readonly recorder = new FaultRecorder();
  readonly trace: string[] = [];
  readonly cycles: CycleRecord[] = [];
  skippedSteps = 0;
  private readonly nextEmail = emailMaker();

  constructor(
    /** The database connection; the crash workload swaps it when a child process held the database. */
    public db: Knex,
    private readonly env: ScheduleEnv,
    policy: Policy,
  ) {
    this.model = new Model(policy);
  }

  get emulator(): RunningEmulator {
    return this.env.emulator;
  }

  get violations(): string[] {
    return this.model.violations;
  }

  async step(step: Exclude<Step, { op: 'cycle' }>, number: string): Promise<void> {
    const outcome = await executeStep({ db: this.db, emulator: this.emulator, model: this.model, nextEmail: this.nextEmail }, step);
    if (outcome.skipped) this.skippedSteps += 1;
    this.trace.push(`  ${number}. ${describeStep(step, outcome.target)}${outcome.skipped ? `  [skipped: ${outcome.skipped}]` : ''}`);
  }

  async cycle(faults: readonly FaultSpec[], label: string, mode: 'incremental' | 'full' = 'incremental'): Promise<CycleResult> {
    const index = this.cycles.length + 1;
    const before = await observe(this.db, this.emulator.org);
    const remove = installFaults(this.emulator, index, faults, this.recorder);
    let summary: CycleSummary;
    try {
      summary = await this.env.cycle(this.db, { mode, wrap: (crm) => recordingAdapter(crm, this.recorder, index) });
    } finally {
      remove();
    }
    const after = await observe(this.db, this.emulator.org);
    this.model.discover(after, index);
    this.model.checkTransitions(before, after, index);
    const record: CycleRecord = { index, runId: summary.runId, status: summary.status, error: summary.error, requestFaults: this.recorder.requestFaultsByCycle.get(index) ?? 0 };
    this.cycles.push(record);
    if (summary.status !== 'succeeded' && record.requestFaults === 0) {
      this.violations.push(`cycle ${index}: run ${summary.status} without an injected request fault: ${summary.error}`);
    }
    const outcome = summary.status === 'succeeded' ? 'ok' : `${summary.status}: ${summary.error?.slice(0, 140)}`;
    this.trace.push(`  ${label} → cycle ${index} ${outcome} (${salesforceWrites(summary)} SF write calls, counts ${JSON.stringify(nonZero(summary.counts))})`);
    const c = summary.counts;
    const wroteNothing = salesforceWrites(summary) === 0 && c.toPrm + c.toSalesforce + c.createdInPrm + c.createdInSalesforce + c.disconnected === 0 && before.maxChangeSeq === after.maxChangeSeq;
    return { summary, before, after, wroteNothing };
  }

  /** Fault-free cycles until one has nothing to do; returns how many it took (a violation if none within the bound). */
  async quietUntilFixedPoint(maxCycles: number, label = 'quiet'): Promise<number> {
    for (let quiet = 1; ; quiet++) {
      const { summary, wroteNothing } = await this.cycle([], `${label} ${quiet}`);
      if (summary.status !== 'succeeded') this.violations.push(`${label} cycle ${quiet} did not succeed: ${summary.error}`);
      if (wroteNothing) return quiet;
      if (quiet >= maxCycles) {
        this.violations.push(`no fixed point after ${quiet} fault-free cycles: the last one still wrote (${salesforceWrites(summary)} Salesforce write calls, counts ${JSON.stringify(nonZero(summary.counts))})`);
        return quiet;
      }
    }
  }

  /** The fixed point's invariants, a full reconcile that must find nothing to repair, and the log accounting. */
  async finalChecks(): Promise<void> {
    this.violations.push(...(await checkFinalState(this.db, await observe(this.db, this.emulator.org), this.model)));
    // Records skipped with a reason in the log (email taken, no email, no status) wait for their next change
    // or the full reconcile, by design: the reason may have gone away without the record changing.
    const explained = new Set((await this.db('integration_log').whereIn('code', ['CONTACT_EMAIL_TAKEN', 'CONTACT_NO_EMAIL', 'CONTACT_ACCOUNT_NOT_LINKED', 'ACCOUNT_NOT_CATEGORIZED']).pluck('sf_id')) as string[]);
    const full = await this.cycle([], 'full reconcile', 'full');
    const c = full.summary.counts;
    const newLinks = full.after.links.filter((l) => l.sf_id && !full.before.linkBySf.has(`${l.object}:${l.sf_id}`));
    const onlyExplained = c.toPrm + c.toSalesforce + c.createdInSalesforce + c.disconnected === 0 && c.createdInPrm === newLinks.length && newLinks.every((l) => explained.has(l.sf_id as string));
    if (!full.wroteNothing && !onlyExplained) {
      this.violations.push(`a full reconcile after the fixed point still wrote (${salesforceWrites(full.summary)} Salesforce write calls, counts ${JSON.stringify(nonZero(full.summary.counts))}): the incremental cursors missed something`);
    }
    this.violations.push(...(await checkLogAccounting(this.db, this.recorder, this.cycles)));
  }
}
