// Carries out one user step: PRM edits through the PRM repositories (exactly what the REST API does),
// Salesforce edits through the emulated org as a Salesforce user would make them. A step whose target does
// not exist (no live record of that kind yet) is skipped and says so in the trace.
import type { Knex } from 'knex';
import { createPrmRepositories } from '../../../middleware/prm/repositories/index.ts';
import type { RunningEmulator } from '../../sf-emulator/index.ts';
import { toSalesforce, type EntityKind, type Value } from '../model/fields.ts';
import type { Entity, Model } from '../model/entities.ts';
import { isLive, isPrmLive, readSalesforce, SF_OBJECT } from '../model/observe.ts';
import type { EmailChoice, Step } from '../schedule/steps.ts';

export interface StepOutcome {
  target?: string;
  skipped?: string;
}

interface Context {
  db: Knex;
  emulator: RunningEmulator;
  model: Model;
  /** Makes every generated email unique within the schedule. */
  nextEmail: (choice: Exclude<EmailChoice, 'none' | 'prm-sibling'>) => string;
}

type UserStep = Exclude<Step, { op: 'cycle' }>;

export function emailMaker(): Context['nextEmail'] {
  let counter = 0;
  return (choice) => {
    counter += 1;
    return choice === 'mixed-case' ? `Person${counter}@Mixed.Example` : `person${counter}@plain.example`;
  };
}

async function prmRow(db: Knex, kind: EntityKind, id: string | null): Promise<Record<string, unknown> | undefined> {
  if (!id) return undefined;
  return db(kind === 'organization' ? 'organizations' : 'contacts').where({ id }).first();
}

/** Entities whose PRM record is live, in creation order. */
async function livePrm(ctx: Context, kind: EntityKind): Promise<Entity[]> {
  const out: Entity[] = [];
  for (const entity of ctx.model.of(kind)) if (isPrmLive(await prmRow(ctx.db, kind, entity.prmId))) out.push(entity);
  return out;
}

function sfRecords(ctx: Context, kind: EntityKind, live: boolean): Entity[] {
  const records = readSalesforce(ctx.emulator.org, kind);
  return ctx.model.of(kind).filter((e) => {
    const record = e.sfId ? records.get(e.sfId) : undefined;
    return record !== undefined && isLive(record) === live;
  });
}

const choose = <T>(items: readonly T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);

function sfFields(kind: EntityKind, values: Record<string, Value>): Record<string, unknown> {
  return Object.assign({}, ...Object.entries(values).map(([k, v]) => toSalesforce(kind, k, v)));
}

function prmColumns(values: Record<string, Value>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key === 'partner_status' && value) {
      const [kind, status] = value.split(':');
      Object.assign(out, { kind, status });
    } else out[key] = value;
  }
  return out;
}

function sfWrite(result: { success: boolean; errors: Array<{ statusCode: string; message: string }> }): string | undefined {
  return result.success ? undefined : result.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ');
}

export async function executeStep(ctx: Context, step: UserStep): Promise<StepOutcome> {
  const prm = createPrmRepositories(ctx.db);
  const org = ctx.emulator.org;
  const none = (what: string): StepOutcome => ({ skipped: `no ${what}` });
  try {
    switch (step.op) {
      case 'prm.createOrg': {
        const row = await prm.organizations.create({ kind: step.kind, status: step.status, ...(prmColumns(step.values) as { name: string }) });
        return { target: ctx.model.add('organization', 'prm', { prmId: row.id }).label };
      }
      case 'prm.createContact': {
        const parent = choose(await livePrm(ctx, 'organization'), step.org);
        if (!parent?.prmId) return none('live PRM organization');
        const values = prmColumns(step.values) as { last_name: string };
        const row = await prm.contacts.create({ ...values, organization_id: parent.prmId, email: ctx.nextEmail('fresh') });
        return { target: `${ctx.model.add('contact', 'prm', { prmId: row.id }, parent).label} in ${parent.label}` };
      }
      case 'prm.updateOrg':
      case 'prm.updateContact': {
        const kind: EntityKind = step.op === 'prm.updateOrg' ? 'organization' : 'contact';
        const target = choose(await livePrm(ctx, kind), step.op === 'prm.updateOrg' ? step.org : step.contact);
        if (!target?.prmId) return none(`live PRM ${kind}`);
        const patch = step.field === 'email' ? { email: ctx.nextEmail('fresh') } : prmColumns({ [step.field]: step.value });
        if (kind === 'organization') await prm.organizations.update(target.prmId, patch);
        else await prm.contacts.update(target.prmId, patch);
        return { target: target.label };
      }
      case 'prm.deleteOrg': {
        const target = choose(await livePrm(ctx, 'organization'), step.org);
        if (!target?.prmId) return none('live PRM organization');
        await prm.organizations.softDelete(target.prmId);
        return { target: target.label };
      }
      case 'prm.deleteContact':
      case 'prm.promote': {
        const target = choose(await livePrm(ctx, 'contact'), step.contact);
        if (!target?.prmId) return none('live PRM contact');
        if (step.op === 'prm.deleteContact') await prm.contacts.softDelete(target.prmId);
        else await prm.contacts.promote(target.prmId);
        return { target: target.label };
      }
      case 'sf.updateAccount':
      case 'sf.updateContact': {
        const kind: EntityKind = step.op === 'sf.updateAccount' ? 'organization' : 'contact';
        const target = choose(sfRecords(ctx, kind, true), step.op === 'sf.updateAccount' ? step.org : step.contact);
        if (!target?.sfId) return none(`live Salesforce ${SF_OBJECT[kind]}`);
        const values = step.field === 'email' ? { Email: ctx.nextEmail(step.value === null ? 'mixed-case' : 'fresh') } : toSalesforce(kind, step.field, step.value);
        const refused = sfWrite(org.update(SF_OBJECT[kind], target.sfId, values));
        if (refused) return { target: target.label, skipped: `Salesforce refused: ${refused}` };
        ctx.model.sfUserEdit(target, [step.field]);
        return { target: target.label };
      }
      case 'sf.deleteAccount':
      case 'sf.undeleteAccount':
      case 'sf.deleteContact':
      case 'sf.undeleteContact': {
        const kind: EntityKind = step.op.endsWith('Account') ? 'organization' : 'contact';
        const deleting = step.op.startsWith('sf.delete');
        const target = choose(sfRecords(ctx, kind, deleting), 'org' in step ? step.org : step.contact);
        if (!target?.sfId) return none(`${deleting ? 'live' : 'deleted'} Salesforce ${SF_OBJECT[kind]}`);
        const result = deleting ? org.delete(SF_OBJECT[kind], target.sfId) : org.undelete(SF_OBJECT[kind], target.sfId);
        const refused = sfWrite(result);
        return refused ? { target: target.label, skipped: `Salesforce refused: ${refused}` } : { target: target.label };
      }
      case 'sf.flag':
      case 'sf.unflag': {
        const flag = step.op === 'sf.flag';
        const records = readSalesforce(org, 'organization');
        const target = choose(
          sfRecords(ctx, 'organization', true).filter((e) => (records.get(e.sfId as string)?.PRM_Sync__c === true) !== flag),
          step.org,
        );
        if (!target?.sfId) return none(`${flag ? 'unflagged' : 'flagged'} live account`);
        const refused = sfWrite(org.update('Account', target.sfId, { PRM_Sync__c: flag }));
        if (refused) return { target: target.label, skipped: `Salesforce refused: ${refused}` };
        if (flag && target.prmId && !isPrmLive(await prmRow(ctx.db, 'organization', target.prmId))) target.flaggedAfterPrmDelete = true;
        return { target: target.label };
      }
      case 'sf.createAccount': {
        const created = org.create('Account', { ...sfFields('organization', step.values), PRM_Sync__c: step.flagged, PRM_Partner_Status__c: step.status });
        const refused = sfWrite(created);
        if (refused || !created.id) return { skipped: `Salesforce refused: ${refused}` };
        const account = ctx.model.add('organization', 'salesforce', { sfId: created.id });
        const labels = [];
        for (const contact of step.contacts) labels.push(createSfContact(ctx, account, contact.values, contact.email === 'prm-sibling' ? 'fresh' : contact.email, undefined));
        return { target: `${account.label}${labels.length ? ` (contacts ${labels.join(', ')})` : ''}` };
      }
      case 'sf.createContact': {
        const account = choose(sfRecords(ctx, 'organization', true), step.org);
        if (!account?.sfId) return none('live Salesforce account');
        let sibling: string | undefined;
        if (step.email === 'prm-sibling' && account.prmId) {
          const row = await ctx.db('contacts').where({ organization_id: account.prmId }).whereNull('deleted_at').whereNotNull('email').orderBy('created_at').first();
          sibling = row?.email;
        }
        const label = createSfContact(ctx, account, step.values, step.email === 'prm-sibling' ? 'fresh' : step.email, sibling);
        return { target: `${label} in ${account.label}${sibling ? ` with the email of a PRM contact` : ''}` };
      }
    }
  } catch (error) {
    // The PRM refused (404 on a deleted record, duplicate email …): the user's edit did not happen.
    return { skipped: `refused: ${(error as Error).message.split('\n')[0]}` };
  }
}

function createSfContact(ctx: Context, account: Entity, values: Record<string, Value>, email: Exclude<EmailChoice, 'prm-sibling'>, sameEmailAs: string | undefined): string {
  const address = sameEmailAs ?? (email === 'none' ? null : ctx.nextEmail(email));
  const created = ctx.emulator.org.create('Contact', { ...sfFields('contact', values), AccountId: account.sfId, Email: address });
  if (!created.success || !created.id) return `(refused: ${sfWrite(created)})`;
  return ctx.model.add('contact', 'salesforce', { sfId: created.id }, account).label;
}
