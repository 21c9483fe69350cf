// Undo of a link the wizard applied: both sides get back the values they had before — field by field, and
// only where the value is still the one the wizard wrote (a later edit is kept and reported) — the PRM id
// and record URL are cleared in Salesforce, and the link is removed. The records return to the wizard as
// undecided. Records the wizard created cannot be "un-created" here: that would mean deleting them.
import type { Db } from '../db/knex.ts';
import { AppError } from '../errors.ts';
import type { CrmAdapter } from '../sync/crm.ts';
import { linksRepository } from '../sync/links.ts';
import { prmAccess } from '../sync/prm-access.ts';
import { comparable, linkHistory, type FieldChanges } from './history.ts';

export class UndoRefused extends AppError {
  constructor(message: string) {
    super(409, 'WIZARD_UNDO_REFUSED', message);
  }
}

export interface UndoResult {
  object: 'organization' | 'contact';
  prmId: string | null;
  sfId: string | null;
  /** Fields given back their earlier value, per side. */
  restoredPrm: string[];
  restoredSalesforce: string[];
  /** Fields changed again since the link was applied: left as they are now. */
  keptPrm: string[];
  keptSalesforce: string[];
}

/** The PRM id, record URL and last-updated stamp the link wrote are cleared even if edited since. */
const ALWAYS_RESTORED = new Set(['PRM_Id__c', 'PRM_Sys_URL__c']);

function restorable(changes: FieldChanges, current: Record<string, unknown>, always: ReadonlySet<string> = new Set()): { restore: Record<string, unknown>; kept: string[] } {
  const restore: Record<string, unknown> = {};
  const kept: string[] = [];
  for (const [field, change] of Object.entries(changes)) {
    if (always.has(field) || comparable(current[field]) === comparable(change.after)) restore[field] = change.before ?? null;
    else kept.push(field);
  }
  return { restore, kept };
}

function prmCurrent(row: Record<string, unknown>): Record<string, unknown> {
  const custom = (typeof row.custom === 'string' ? JSON.parse(row.custom) : (row.custom ?? {})) as Record<string, unknown>;
  const flat: Record<string, unknown> = { ...row };
  for (const [key, value] of Object.entries(custom)) flat[`custom.${key}`] = value;
  return flat;
}

export async function undoLink(db: Db, crm: CrmAdapter, linkId: number, actor = 'admin', externalIdField = 'PRM_Id__c'): Promise<UndoResult> {
  const link = await db('sync_links').where({ id: linkId }).first();
  if (!link) throw new UndoRefused(`There is no link ${linkId} (undone or unlinked already).`);
  const entry = await linkHistory.forLink(db, linkId);
  if (!entry) throw new UndoRefused('This link was not made by the matching wizard, so there is no earlier state to go back to; use Unlink instead.');
  if (entry.action === 'create_in_salesforce' || entry.action === 'create_in_prm') {
    throw new UndoRefused(`The wizard made this link by creating the ${entry.action === 'create_in_salesforce' ? 'Salesforce' : 'PRM'} record; undoing it would mean deleting that record. Unlink it instead and delete the record yourself if it is not wanted.`);
  }
  const object = entry.object;
  const result: UndoResult = { object, prmId: entry.prmId, sfId: entry.sfId, restoredPrm: [], restoredSalesforce: [], keptPrm: [], keptSalesforce: [] };

  if (entry.action === 'link' && entry.sfId) {
    const sfObject = object === 'organization' ? 'Account' : 'Contact';
    const fields = [...new Set([...Object.keys(entry.sfChanges), externalIdField])];
    const [current] = await crm.byIds(sfObject, [entry.sfId], fields);
    if (current && !current.isDeleted) {
      const always = new Set([...ALWAYS_RESTORED, externalIdField]);
      const { restore, kept } = restorable(entry.sfChanges, current.fields, always);
      if (current.fields[externalIdField] && !(externalIdField in restore)) restore[externalIdField] = null;
      if (Object.keys(restore).length > 0) {
        const [outcome] = await crm.updateByIds(sfObject, [{ id: entry.sfId, values: restore }]);
        if (outcome && !outcome.success) throw new UndoRefused(`Salesforce refused to restore the earlier values: ${outcome.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ')}. Nothing was changed in the PRM.`);
      }
      result.restoredSalesforce = Object.keys(restore);
      result.keptSalesforce = kept;
    }
  }

  await db.transaction(async (trx) => {
    if (entry.action === 'link' && entry.prmId) {
      const [row] = await prmAccess.byIds(trx, object, [entry.prmId]);
      if (row && !row.deleted_at) {
        const { restore, kept } = restorable(entry.prmChanges, prmCurrent(row));
        const columns: Record<string, unknown> = {};
        const custom: Record<string, unknown> = {};
        for (const [field, value] of Object.entries(restore)) {
          if (field.startsWith('custom.')) custom[field.slice('custom.'.length)] = value;
          else columns[field] = value;
        }
        if (Object.keys(columns).length + Object.keys(custom).length > 0) await prmAccess.update(trx, object, entry.prmId, columns, custom);
        result.restoredPrm = Object.keys(restore);
        result.keptPrm = kept;
      }
    }
    await linksRepository.remove(trx, linkId);
    await linkHistory.markUndone(trx, entry.id, actor);
    // Back in the wizard, undecided: the admin picks the right counterpart (or Don't Sync) again.
    if (object === 'organization') {
      if (entry.prmId) await trx('wizard_org_decisions').where({ prm_id: entry.prmId }).update({ decision: 'undecided', sf_id: null, origin: 'admin', decided_by: actor, decided_at: trx.fn.now(), applied_at: null, apply_error: null });
      if (entry.sfId) await trx('wizard_account_decisions').where({ sf_id: entry.sfId }).delete();
    } else {
      await trx('wizard_contact_decisions').where((where) => where.where({ side: 'prm', record_id: entry.prmId ?? '' }).orWhere({ side: 'salesforce', record_id: entry.sfId ?? '' })).delete();
    }
  });
  return result;
}
