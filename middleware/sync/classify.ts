// Decides what each changed record needs — merge, create on the other side, disconnect, mark deleted —
// from the link table and both sides' current state. Reads only; the batch writer acts on the result.
import { randomUUID } from 'node:crypto';
import { logRow } from '../log/catalogue.ts';
import type { CrmRecord } from './crm.ts';
import type { ObjectRunState, SyncContext, WorkItem } from './context.ts';
import { sfValues, toPrmColumns, type ConversionProblem } from './fields.ts';
import { linksRepository, type Link } from './links.ts';
import { effectiveFlow } from './strategy.ts';
import { prmAccess, type PrmRow } from './prm-access.ts';
import { conversionProblemLog, displayName } from './write-plan.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function newLink(object: Link['object'], prmId: string, sfId: string | null): Link {
  return { id: 0, object, prm_id: prmId, sf_id: sfId, state: 'linked', snapshot: {}, sf_modstamp: null, prm_change_seq: null, last_synced_at: null, needs_retry: false, last_error: null };
}

function pullAllowed(ctx: SyncContext, state: ObjectRunState): boolean {
  return ctx.plan.wizardCompleted && (state.plan.direction === 'push_and_pull' || state.plan.direction === 'pull');
}

function pushAllowed(ctx: SyncContext, state: ObjectRunState): boolean {
  return ctx.plan.wizardCompleted && (state.plan.direction === 'push_and_pull' || state.plan.direction === 'push');
}

/** Whether a Salesforce record is (still) meant to sync: its flag, and for contacts the account's flag too. */
export function inSalesforceScope(ctx: SyncContext, state: ObjectRunState, record: CrmRecord): boolean {
  if (state.plan.object === 'organization') return record.fields[ctx.plan.accountSyncFlagField] === true;
  const optedOut = ctx.plan.contactSyncFlagField !== null && record.fields[ctx.plan.contactSyncFlagField] === false;
  return record.fields[`Account.${ctx.plan.accountSyncFlagField}`] === true && !optedOut;
}

/** Whether a PRM organization's status is one the settings sync. */
export function prmEligible(ctx: SyncContext, row: PrmRow): boolean {
  if (row.status === 'prospective') return ctx.plan.includeProspective;
  if (row.status === 'inactive') return ctx.plan.includeInactive;
  return true;
}

export async function classifySalesforcePage(ctx: SyncContext, state: ObjectRunState, records: readonly CrmRecord[]): Promise<WorkItem[]> {
  const { object } = state.plan;
  const ext = ctx.plan.externalIdField;
  const externalIds = records.map((r) => r.fields[ext]).filter((v): v is string => typeof v === 'string' && UUID.test(v));
  const linksBySf = new Map((await linksRepository.bySfIds(ctx.db, object, records.map((r) => r.id))).map((l) => [l.sf_id as string, l]));
  const linksByPrm = new Map((await linksRepository.byPrmIds(ctx.db, object, externalIds)).map((l) => [l.prm_id as string, l]));
  const prmIds = [...externalIds, ...[...linksBySf.values()].map((l) => l.prm_id).filter((id): id is string => id !== null)];
  const prmRows = new Map((await prmAccess.byIds(ctx.db, object, prmIds)).map((row) => [row.id, row]));
  const contactOrgs = object === 'contact' ? await linksRepository.organizationIdsForAccounts(ctx.db, records.map((r) => String(r.fields.AccountId ?? ''))) : new Map<string, string>();

  const items: WorkItem[] = [];
  const pendingByEmail: Array<{ record: CrmRecord; organizationId: string; email: string; prmId: string }> = [];
  for (const record of records) {
    state.seenSfIds.add(record.id);
    const externalId = typeof record.fields[ext] === 'string' && UUID.test(record.fields[ext] as string) ? (record.fields[ext] as string) : null;
    const link = linksBySf.get(record.id) ?? (externalId ? linksByPrm.get(externalId) : undefined);
    if (record.isDeleted || !inSalesforceScope(ctx, state, record)) {
      if (link && link.state === 'linked' && link.sf_id === record.id) {
        items.push({ kind: 'disconnect', link, sfRecord: record, reason: record.isDeleted ? 'was deleted in Salesforce' : 'is no longer flagged "Sync with PRM"' });
      }
      continue;
    }
    if (link) {
      if (link.state === 'excluded' || link.state === 'deleted') continue;
      const prmRow = link.prm_id ? prmRows.get(link.prm_id) : undefined;
      if (!prmRow || prmRow.deleted_at) continue;
      if (link.sf_id !== record.id && link.state === 'linked' && link.sf_id !== null) {
        // A second Salesforce record carries the same PRM id: leave it alone, and say so.
        ctx.counts.skipped += 1;
        ctx.log.push(
          logRow('DUPLICATE_PRM_ID', { object: state.plan.sfObject, name: displayName(record.fields), prmId: String(link.prm_id), linkedSfId: link.sf_id }, { runId: ctx.runId, object, prmId: link.prm_id, sfId: record.id }),
        );
        continue;
      }
      state.seenPrmIds.add(prmRow.id);
      // A link without a Salesforce id is a creation an interrupted run did not confirm: it links now.
      items.push({ kind: 'merge', link: { ...link, sf_id: record.id }, prmRow, sfRecord: record, relinked: link.state === 'disconnected' || link.sf_id === null });
      continue;
    }
    // No link yet: relink by PRM id, or create the record in the PRM.
    const known = externalId ? prmRows.get(externalId) : undefined;
    if (known && !known.deleted_at) {
      state.seenPrmIds.add(known.id);
      items.push({ kind: 'merge', link: newLink(object, known.id, record.id), prmRow: known, sfRecord: record, relinked: true });
      continue;
    }
    if (known) {
      // Carries the id of a PRM record deleted before any link was stored (an interrupted run created it):
      // the deletion wins. Creating it again under the same id would fail, and be retried, forever.
      state.seenPrmIds.add(known.id);
      items.push({ kind: 'mark_deleted', link: newLink(object, known.id, record.id), prmRow: known });
      continue;
    }
    if (!pullAllowed(ctx, state)) continue;
    const prmId = externalId ?? randomUUID();
    const created = object === 'organization' ? newOrganizationValues(ctx, state, record) : newContactValues(ctx, state, record, contactOrgs);
    if (!created) continue;
    if (object === 'contact' && typeof created.email === 'string') {
      pendingByEmail.push({ record, organizationId: String(created.organization_id), email: created.email, prmId });
    }
    items.push({ kind: 'create_in_prm', sfRecord: record, prmId, prmValues: created });
  }
  if (pendingByEmail.length > 0) await linkContactsByEmail(ctx, state, items, pendingByEmail);
  return items;
}

/** A new Salesforce contact whose email already exists under the same PRM organization links to it. */
async function linkContactsByEmail(
  ctx: SyncContext,
  state: ObjectRunState,
  items: WorkItem[],
  pending: ReadonlyArray<{ record: CrmRecord; organizationId: string; email: string; prmId: string }>,
): Promise<void> {
  const existing = await prmAccess.contactsByEmail(ctx.db, pending);
  const existingLinks = new Map((await linksRepository.byPrmIds(ctx.db, 'contact', [...existing.values()])).map((l) => [l.prm_id as string, l]));
  const rows = new Map((await prmAccess.byIds(ctx.db, 'contact', [...existing.values()])).map((r) => [r.id, r]));
  for (const entry of pending) {
    const contactId = existing.get(`${entry.organizationId}|${entry.email}`);
    if (!contactId) continue;
    const index = items.findIndex((item) => item.kind === 'create_in_prm' && item.sfRecord === entry.record);
    const row = rows.get(contactId);
    if (existingLinks.has(contactId) || !row) {
      ctx.log.push(logRow('CONTACT_EMAIL_TAKEN', { name: contactName(entry.record), email: entry.email }, { runId: ctx.runId, object: 'contact', sfId: entry.record.id }));
      items.splice(index, 1);
      continue;
    }
    state.seenPrmIds.add(contactId);
    items[index] = { kind: 'merge', link: newLink('contact', contactId, entry.record.id), prmRow: row, sfRecord: entry.record, relinked: true };
  }
}

/** Values too long for their PRM column are left out of a new record and logged; the rest is created. */
function logTooLong(ctx: SyncContext, state: ObjectRunState, record: CrmRecord, problems: readonly ConversionProblem[]): Set<string> {
  const tooLong = problems.filter((p) => p.kind === 'too_long');
  for (const problem of tooLong) {
    ctx.log.push(conversionProblemLog(problem, { runId: ctx.runId, object: state.plan.object, sfObject: state.plan.sfObject, prmId: null, sfId: record.id }));
  }
  return new Set(tooLong.map((p) => p.key));
}

function newOrganizationValues(ctx: SyncContext, state: ObjectRunState, record: CrmRecord): Record<string, unknown> | null {
  const flowing = state.plan.fields.filter((f) => effectiveFlow(state.plan.direction, f.direction).toPrm);
  const problems: ConversionProblem[] = [];
  const values = sfValues(flowing, record.fields, problems);
  const tooLong = logTooLong(ctx, state, record, problems);
  const { columns, custom } = toPrmColumns(flowing, values as Record<string, string | number | boolean | null>);
  if (!columns.kind || !columns.status) {
    ctx.counts.skipped += 1;
    ctx.log.push(
      logRow('ACCOUNT_NOT_CATEGORIZED', { name: String(record.fields.Name ?? record.id), value: String(record.fields[statusFieldOf(state)] ?? '(empty)') }, { runId: ctx.runId, object: 'organization', sfId: record.id }),
    );
    return null;
  }
  if (!prmEligible(ctx, { ...columns, id: '', change_seq: 0, updated_at: new Date(), deleted_at: null })) return null;
  if (!columns.name) {
    if (tooLong.has('name')) ctx.counts.skipped += 1; // its name does not fit: logged above, created once shortened
    return null;
  }
  return { ...columns, custom };
}

function statusFieldOf(state: ObjectRunState): string {
  return state.plan.fields.find((f) => f.key === 'partner_status')?.sfField ?? 'PRM_Partner_Status__c';
}

function contactName(record: CrmRecord): string {
  return [record.fields.FirstName, record.fields.LastName].filter(Boolean).join(' ') || record.id;
}

function newContactValues(ctx: SyncContext, state: ObjectRunState, record: CrmRecord, organizations: Map<string, string>): Record<string, unknown> | null {
  const organizationId = organizations.get(String(record.fields.AccountId ?? ''));
  if (!organizationId) {
    ctx.counts.skipped += 1;
    ctx.log.push(logRow('CONTACT_ACCOUNT_NOT_LINKED', { name: contactName(record) }, { runId: ctx.runId, object: 'contact', sfId: record.id }));
    return null;
  }
  const email = typeof record.fields.Email === 'string' ? record.fields.Email.trim().toLowerCase() : '';
  if (!email) {
    ctx.counts.skipped += 1;
    ctx.log.push(logRow('CONTACT_NO_EMAIL', { name: contactName(record) }, { runId: ctx.runId, object: 'contact', sfId: record.id }));
    return null;
  }
  const flowing = state.plan.fields.filter((f) => effectiveFlow(state.plan.direction, f.direction).toPrm);
  const problems: ConversionProblem[] = [];
  const values = sfValues(flowing, record.fields, problems);
  // A last name too long for the PRM must not be replaced by the email: that would be written back.
  if (logTooLong(ctx, state, record, problems).has('last_name')) {
    ctx.counts.skipped += 1;
    return null;
  }
  const { columns, custom } = toPrmColumns(flowing, values as Record<string, string | number | boolean | null>);
  if (!columns.last_name) columns.last_name = email;
  return { ...columns, email, organization_id: organizationId, custom };
}

export async function classifyPrmPage(ctx: SyncContext, state: ObjectRunState, rows: readonly PrmRow[]): Promise<WorkItem[]> {
  const { object } = state.plan;
  const links = new Map((await linksRepository.byPrmIds(ctx.db, object, rows.map((r) => r.id))).map((l) => [l.prm_id as string, l]));
  const accountIds = object === 'contact' ? await linksRepository.accountIdsForOrganizations(ctx.db, rows.map((r) => String(r.organization_id))) : null;
  const items: WorkItem[] = [];
  for (const row of rows) {
    if (state.seenPrmIds.has(row.id)) continue;
    const link = links.get(row.id);
    if (link) {
      if (link.state !== 'linked' || link.sf_id === null) continue;
      if (link.prm_change_seq !== null && Number(row.change_seq) === link.prm_change_seq && !link.needs_retry) continue; // our own write
      if (row.deleted_at) {
        state.seenPrmIds.add(row.id);
        items.push({ kind: 'mark_deleted', link, prmRow: row });
        continue;
      }
      if (state.seenSfIds.has(link.sf_id)) continue;
      state.seenPrmIds.add(row.id);
      items.push({ kind: 'merge', link, prmRow: row, sfRecord: null });
      continue;
    }
    if (row.deleted_at || !pushAllowed(ctx, state)) continue;
    if (object === 'organization' && !prmEligible(ctx, row)) continue;
    if (object === 'contact' && !accountIds?.has(String(row.organization_id))) continue; // its organization does not sync
    state.seenPrmIds.add(row.id);
    items.push({ kind: 'create_in_salesforce', prmRow: row });
  }
  return items;
}
