// The admin's decisions per PRM organization (Link to an account, Create New in Salesforce, Don't Sync,
// undecided) and per flagged Salesforce account without a counterpart (Create in PRM, Don't Sync). Saved
// as the admin goes and changeable until applied; every rule that keeps the result one-to-one is checked
// here, with a message that says what to do instead.
import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { AppError } from '../errors.ts';
import { sortName } from './suggest.ts';

export const ORG_DECISIONS = ['link', 'create_new', 'dont_sync', 'undecided'] as const;
export type OrgDecision = (typeof ORG_DECISIONS)[number];
export const ACCOUNT_DECISIONS = ['create_in_prm', 'dont_sync', 'undecided'] as const;
export type AccountDecision = (typeof ACCOUNT_DECISIONS)[number];

export class DecisionRefused extends AppError {
  constructor(message: string) {
    super(409, 'WIZARD_DECISION_REFUSED', message);
  }
}

export interface DecisionOutcome {
  /** What was decided, in words, for the flash message. */
  message: string;
  /** Another organization that lost its pre-selected account to this decision. */
  released?: string;
}

type Trx = Knex.Transaction;

async function organizationName(trx: Trx | Db, prmId: string): Promise<string> {
  const row = (await trx('organizations').where({ id: prmId }).first('name')) as { name?: string } | undefined;
  return row?.name ?? prmId;
}

async function linkOf(trx: Trx, by: { prmId?: string; sfId?: string }) {
  const query = trx('sync_links').where({ object: 'organization' });
  if (by.prmId) query.andWhere({ prm_id: by.prmId });
  if (by.sfId) query.andWhere({ sf_id: by.sfId });
  return (await query.first('id', 'prm_id', 'sf_id', 'state')) as { id: number; prm_id: string | null; sf_id: string | null; state: string } | undefined;
}

export async function decideOrganization(db: Db, input: { prmId: string; decision: OrgDecision; sfId?: string | null; statuses: readonly string[]; actor: string }): Promise<DecisionOutcome> {
  const { prmId, decision, actor } = input;
  return db.transaction(async (trx) => {
    const organization = (await trx('organizations').where({ id: prmId }).first('id', 'name', 'status', 'deleted_at')) as { name: string; status: string; deleted_at: Date | null } | undefined;
    if (!organization || organization.deleted_at) throw new DecisionRefused('That PRM organization no longer exists (deleted since the page was loaded).');
    if (!input.statuses.includes(organization.status)) throw new DecisionRefused(`“${organization.name}” has status ${organization.status}, which the settings do not sync; change the settings to include it.`);
    const link = await linkOf(trx, { prmId });
    if (link) throw new DecisionRefused(`“${organization.name}” is already ${link.state === 'linked' ? 'linked' : link.state}; undo or unlink it on its record page first.`);
    const current = (await trx('wizard_org_decisions').where({ prm_id: prmId }).forUpdate().first()) as { applied_at: Date | null } | undefined;
    if (current?.applied_at) throw new DecisionRefused(`The decision for “${organization.name}” was applied already.`);

    const outcome: DecisionOutcome = { message: describeOrgDecision(organization.name, decision) };
    let sfId: string | null = null;
    if (decision === 'link') {
      sfId = input.sfId ?? null;
      if (!sfId) throw new DecisionRefused('Choose the Salesforce account to link.');
      const account = (await trx('wizard_sf_accounts').where({ sf_id: sfId }).first('name')) as { name: string } | undefined;
      if (!account) throw new DecisionRefused(`Salesforce account ${sfId} is not among the flagged accounts read by the last Refresh Data; flag it in Salesforce and refresh.`);
      const accountLink = await linkOf(trx, { sfId });
      if (accountLink) throw new DecisionRefused(`“${account.name}” is already linked to another PRM organization (${await organizationName(trx, accountLink.prm_id ?? '')}).`);
      const holder = (await trx('wizard_org_decisions').where({ decision: 'link', sf_id: sfId }).whereNot({ prm_id: prmId }).forUpdate().first('prm_id', 'origin', 'applied_at')) as { prm_id: string; origin: string; applied_at: Date | null } | undefined;
      if (holder) {
        const holderName = await organizationName(trx, holder.prm_id);
        if (holder.origin === 'admin' || holder.applied_at) throw new DecisionRefused(`“${account.name}” is already chosen for “${holderName}”; change that organization's decision first.`);
        // A pre-selection gives way to the admin's own choice.
        await trx('wizard_org_decisions').where({ prm_id: holder.prm_id }).update({ decision: 'undecided', sf_id: null, origin: 'matcher' });
        outcome.released = holderName;
      }
      // The account now has a counterpart: an earlier "Create in PRM" / "Don't Sync" for it no longer applies.
      await trx('wizard_account_decisions').where({ sf_id: sfId }).whereNull('applied_at').delete();
      outcome.message = `“${organization.name}” will be linked to Salesforce account “${account.name}”.`;
    }
    await trx('wizard_org_decisions')
      .insert({ prm_id: prmId, decision, sf_id: sfId, origin: 'admin', decided_by: actor, decided_at: trx.fn.now(), sort_name: sortName(organization.name) })
      .onConflict('prm_id')
      .merge(['decision', 'sf_id', 'origin', 'decided_by', 'decided_at']);
    return outcome;
  });
}

function describeOrgDecision(name: string, decision: OrgDecision): string {
  switch (decision) {
    case 'create_new':
      return `“${name}” will be created as a new account in Salesforce.`;
    case 'dont_sync':
      return `“${name}” will not be synced.`;
    case 'undecided':
      return `“${name}” is undecided again.`;
    default:
      return `“${name}” will be linked.`;
  }
}

/** The Salesforce picklist values that categorize an account (partner/distributor × status). */
export function categorizingValues(statusValues: ReadonlyArray<{ sf: string }>): Set<string> {
  return new Set(statusValues.map((entry) => entry.sf));
}

export async function decideAccount(db: Db, input: { sfId: string; decision: AccountDecision; categorizing: ReadonlySet<string>; statusField: string; actor: string }): Promise<DecisionOutcome> {
  const { sfId, decision, actor } = input;
  return db.transaction(async (trx) => {
    const account = (await trx('wizard_sf_accounts').where({ sf_id: sfId }).first('name', 'status_value')) as { name: string; status_value: string | null } | undefined;
    if (!account) throw new DecisionRefused(`Salesforce account ${sfId} is not among the flagged accounts read by the last Refresh Data.`);
    if (await linkOf(trx, { sfId })) throw new DecisionRefused(`“${account.name}” is already linked; undo or unlink it on its record page first.`);
    const holder = (await trx('wizard_org_decisions').where({ decision: 'link', sf_id: sfId }).first('prm_id')) as { prm_id: string } | undefined;
    if (holder) throw new DecisionRefused(`“${account.name}” is chosen as the counterpart of “${await organizationName(trx, holder.prm_id)}”; change that organization's decision first.`);
    const current = (await trx('wizard_account_decisions').where({ sf_id: sfId }).first('applied_at')) as { applied_at: Date | null } | undefined;
    if (current?.applied_at) throw new DecisionRefused(`The decision for “${account.name}” was applied already.`);
    if (decision === 'create_in_prm' && (!account.status_value || !input.categorizing.has(account.status_value))) {
      throw new DecisionRefused(
        `“${account.name}” cannot be created in the PRM: its ${input.statusField} is ${account.status_value ? `“${account.status_value}”, a value the settings do not map` : 'empty'}, so it is not categorized as partner or distributor. Set it in Salesforce, then Refresh Data.`,
      );
    }
    await trx('wizard_account_decisions')
      .insert({ sf_id: sfId, decision, decided_by: actor, decided_at: trx.fn.now() })
      .onConflict('sf_id')
      .merge(['decision', 'decided_by', 'decided_at']);
    const verb = decision === 'create_in_prm' ? 'will be created in the PRM' : decision === 'dont_sync' ? 'will not be synced' : 'is undecided again';
    return { message: `Salesforce account “${account.name}” ${verb}.` };
  });
}
