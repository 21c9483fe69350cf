// Confirm & apply: every decision is carried out in batches through the sync's writer — organizations
// first (links, creates in Salesforce, Don't Sync), then the flagged accounts without a counterpart
// (create in the PRM, Don't Sync), then the contacts of the linked organizations — and the wizard is marked
// completed, which lets the scheduled sync start. Decisions are marked applied batch by batch, so an
// interrupted apply resumes where it stopped when started again.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { logRow } from '../log/catalogue.ts';
import { writeLog } from '../log/repository.ts';
import { emptyCounts, type SyncContext } from '../sync/context.ts';
import { runsRepository } from '../sync/runs.ts';
import { integrationState, STATE_KEYS } from '../sync/state.ts';
import { createInPrmBatch, createInSalesforceBatch, excludeBatch, linkBatch, type ApplyRun, type Outcomes, type PrmCreate } from './apply-steps.ts';
import { applyContacts } from './apply-contacts.ts';
import { eligibleStatuses, loadPlan, openCrm, type WizardEnvironment } from './environment.ts';
import { contactFromSalesforce, organizationFromAccount } from './prm-values.ts';
import { sortName, unlinkedAccounts, unlinkedOrganizations } from './suggest.ts';
import type { TaskProgress } from './tasks.ts';

export const APPLY_JOB = 'wizard_apply';
export const BATCH_SIZE = 200;

export interface ApplyOptions {
  /** What happens to organizations left undecided. */
  undecidedOrganizations: 'create_new' | 'dont_sync';
  /** What happens to flagged accounts without a counterpart left undecided. */
  undecidedAccounts: 'create_in_prm' | 'dont_sync';
  actor: string;
  batchSize?: number;
}

export async function applyWizard(env: WizardEnvironment, options: ApplyOptions, progress: TaskProgress, counts: Record<string, number>): Promise<void> {
  const { db } = env;
  const plan = await loadPlan(env);
  const { crm, session } = await openCrm(env, plan);
  const callsBefore = session.ledger.apiCalls;
  const runId = await runsRepository.start(db, APPLY_JOB, 'full');
  const ctx: SyncContext = { db, crm, plan, runId, dryRun: false, counts: emptyCounts(), log: [], planned: [], newlyLinkedAccounts: new Set(), now: () => new Date() };
  const run: ApplyRun = { ctx, runId, actor: options.actor, counts };
  const size = options.batchSize ?? BATCH_SIZE;
  try {
    await settleUndecided(db, eligibleStatuses(plan), options);
    await applyOrganizationDecisions(run, size, progress);
    await applyAccountDecisions(run, size, progress);
    await applyContacts(run, size, progress, (record, organizationId) => contactFromSalesforce(plan, record.fields, organizationId));
    await integrationState.set(db, STATE_KEYS.wizardCompletedAt, new Date().toISOString());
    counts.apiCalls = session.ledger.apiCalls - callsBefore;
    ctx.log.push(logRow('RUN_FINISHED', { job: 'matching wizard', summary: describeApply(counts).replace(/\.$/, '') }, { runId }));
    await writeLog(db, ctx.log.splice(0));
    await runsRepository.finish(db, runId, { status: 'succeeded', counts: { ...counts }, apiCalls: counts.apiCalls, byEndpoint: session.ledger.counts() });
  } catch (error) {
    counts.apiCalls = session.ledger.apiCalls - callsBefore;
    const reason = error instanceof Error ? error.message : String(error);
    ctx.log.push(logRow('RUN_FAILED', { job: 'matching wizard', reason }, { runId }));
    await writeLog(db, ctx.log.splice(0)).catch(() => undefined);
    await runsRepository.finish(db, runId, { status: 'failed', counts: { ...counts }, apiCalls: counts.apiCalls, byEndpoint: session.ledger.counts(), error: reason }).catch(() => undefined);
    throw error;
  }
}

export function describeApply(counts: Record<string, number>): string {
  const n = (key: string) => counts[key] ?? 0;
  const errors = n('organizationsErrors') + n('accountsErrors') + n('contactsErrors');
  return [
    `Organizations: ${n('organizationsLinked')} linked, ${n('organizationsCreatedInSalesforce')} created in Salesforce, ${n('accountsCreatedInPrm')} created in the PRM, ${n('organizationsExcluded') + n('accountsExcluded')} not synced.`,
    `Contacts: ${n('contactsLinked')} linked, ${n('contactsCreatedInSalesforce') + n('contactsCreatedInPrm')} created, ${n('contactsExcluded')} not synced.`,
    `${errors} ${errors === 1 ? 'error' : 'errors'}.`,
  ].join(' ');
}

/** The confirm page's choice for whatever is still undecided becomes a decision of its own. */
async function settleUndecided(db: Db, statuses: readonly string[], options: ApplyOptions): Promise<void> {
  await db.transaction(async (trx) => {
    const missing = (await unlinkedOrganizations(trx, statuses)
      .whereNotExists(trx('wizard_org_decisions as d').select(trx.raw('1')).whereRaw('d.prm_id = o.id'))
      .select('o.id', 'o.name')) as Array<{ id: string; name: string }>;
    const rows = missing.map((row) => ({ prm_id: row.id, decision: 'undecided', origin: 'matcher', sort_name: sortName(row.name) }));
    for (let start = 0; start < rows.length; start += 1000) await trx('wizard_org_decisions').insert(rows.slice(start, start + 1000));
    await trx('wizard_org_decisions')
      .where({ decision: 'undecided' })
      .whereNull('applied_at')
      .whereIn('prm_id', unlinkedOrganizations(trx, statuses).select('o.id'))
      .update({ decision: options.undecidedOrganizations, origin: 'admin', decided_by: `${options.actor} (undecided at confirm)`, decided_at: trx.fn.now() });
    const accounts = unlinkedAccounts(trx)
      .whereNotExists(trx('wizard_org_decisions as d').select(trx.raw('1')).where('d.decision', 'link').whereRaw('d.sf_id = a.sf_id'))
      .leftJoin('wizard_account_decisions as ad', 'ad.sf_id', 'a.sf_id')
      .where((where) => where.whereNull('ad.sf_id').orWhere('ad.decision', 'undecided'))
      .select('a.sf_id');
    const undecided = ((await accounts) as Array<{ sf_id: string }>).map((row) => ({ sf_id: row.sf_id, decision: options.undecidedAccounts, decided_by: `${options.actor} (undecided at confirm)`, decided_at: new Date() }));
    for (let start = 0; start < undecided.length; start += 1000) {
      await trx('wizard_account_decisions').insert(undecided.slice(start, start + 1000)).onConflict('sf_id').merge(['decision', 'decided_by', 'decided_at']);
    }
  });
}

type DecisionTable = 'wizard_org_decisions' | 'wizard_account_decisions';

async function markApplied(db: Db | Knex.Transaction, table: DecisionTable, key: 'prm_id' | 'sf_id', outcomes: Outcomes | Map<string, string | null>): Promise<void> {
  const ok = [...outcomes].filter(([, error]) => error === null).map(([id]) => id);
  for (let start = 0; start < ok.length; start += 1000) await db(table).whereIn(key, ok.slice(start, start + 1000)).update({ applied_at: db.fn.now(), apply_error: null });
  for (const [id, error] of outcomes) if (error !== null) await db(table).where(key, id).update({ apply_error: error });
}

async function pendingCount(db: Db, table: DecisionTable, decision: string): Promise<number> {
  const row = (await db(table).where({ decision }).whereNull('applied_at').whereNull('apply_error').count({ n: '*' }).first()) as { n?: string | number } | undefined;
  return Number(row?.n ?? 0);
}

/** Unapplied decisions of one kind, batch by batch; a record that failed is not retried in the same apply. */
async function* pending(db: Db, table: DecisionTable, key: 'prm_id' | 'sf_id', decision: string, size: number): AsyncGenerator<Array<Record<string, string>>> {
  let after: string | null = null;
  for (;;) {
    const query = db(table).where({ decision }).whereNull('applied_at').orderBy(key).limit(size).select(key, 'sf_id');
    if (after !== null) query.where(key, '>', after);
    const rows = (await query) as Array<Record<string, string>>;
    if (rows.length === 0) return;
    after = String(rows.at(-1)?.[key]);
    yield rows;
  }
}

async function applyOrganizationDecisions(run: ApplyRun, size: number, progress: TaskProgress): Promise<void> {
  const { db } = run.ctx;
  await db('wizard_org_decisions').whereNull('applied_at').update({ apply_error: null });
  const steps: Array<{ decision: string; label: string; act: (rows: Array<Record<string, string>>) => Promise<Outcomes> }> = [
    { decision: 'link', label: 'Linking organizations', act: (rows) => linkBatch(run, 'organization', rows.map((r) => ({ prmId: r.prm_id as string, sfId: r.sf_id as string })), 'organizations') },
    { decision: 'create_new', label: 'Creating organizations in Salesforce', act: (rows) => createInSalesforceBatch(run, 'organization', rows.map((r) => r.prm_id as string), 'organizations') },
    {
      decision: 'dont_sync',
      label: "Excluding organizations (Don't Sync)",
      act: async (rows) => {
        await excludeBatch(run, 'organization', rows.map((r) => ({ prmId: r.prm_id as string, sfId: null })), 'organizations');
        return new Map(rows.map((r) => [r.prm_id as string, null]));
      },
    },
  ];
  for (const step of steps) {
    progress.phase(step.label, await pendingCount(db, 'wizard_org_decisions', step.decision));
    let done = 0;
    for await (const rows of pending(db, 'wizard_org_decisions', 'prm_id', step.decision, size)) {
      await markApplied(db, 'wizard_org_decisions', 'prm_id', await step.act(rows));
      done += rows.length;
      progress.advance(done);
    }
  }
}

async function applyAccountDecisions(run: ApplyRun, size: number, progress: TaskProgress): Promise<void> {
  const { db, plan } = run.ctx;
  await db('wizard_account_decisions').whereNull('applied_at').update({ apply_error: null });
  progress.phase('Creating Salesforce accounts in the PRM', await pendingCount(db, 'wizard_account_decisions', 'create_in_prm'));
  let done = 0;
  for await (const rows of pending(db, 'wizard_account_decisions', 'sf_id', 'create_in_prm', size)) {
    const creates: PrmCreate[] = rows.map((row) => ({ sfId: row.sf_id as string, values: (record) => organizationFromAccount(plan, record.fields) }));
    await markApplied(db, 'wizard_account_decisions', 'sf_id', await createInPrmBatch(run, 'organization', creates, 'accounts'));
    done += rows.length;
    progress.advance(done);
  }
  progress.phase("Excluding Salesforce accounts (Don't Sync)", await pendingCount(db, 'wizard_account_decisions', 'dont_sync'));
  done = 0;
  for await (const rows of pending(db, 'wizard_account_decisions', 'sf_id', 'dont_sync', size)) {
    await excludeBatch(run, 'organization', rows.map((row) => ({ prmId: null, sfId: row.sf_id as string })), 'accounts');
    await markApplied(db, 'wizard_account_decisions', 'sf_id', new Map(rows.map((row) => [row.sf_id as string, null])));
    done += rows.length;
    progress.advance(done);
  }
}
