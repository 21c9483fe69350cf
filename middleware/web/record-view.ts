// A record page's facts: the PRM record, its link, and per mapped field the PRM value, the Salesforce value
// (read live) and the snapshot both sides last agreed on — compared the way the sync engine compares them
// (canonical values through the same field maps).
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import type { PrmRepositories } from '../prm/repositories/index.ts';
import type { IntegrationSettings } from '../settings/model.ts';
import { prmValues, sfValues, type FieldMap } from '../sync/fields.ts';
import { linksRepository, type Link } from '../sync/links.ts';
import type { MergeValue } from '../sync/merge.ts';
import { syncPlanFromSettings } from '../sync/plan-from-settings.ts';
import type { SyncObject } from '../sync/plan.ts';
import type { SalesforceAccess } from './salesforce-access.ts';

export const RECORD_KINDS = ['organizations', 'contacts', 'deals'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const KIND_INFO: Record<RecordKind, { object: SyncObject | 'deal'; sfObject: 'Account' | 'Contact' | 'Opportunity'; label: string; icon: string }> = {
  organizations: { object: 'organization', sfObject: 'Account', label: 'Organization', icon: 'account' },
  contacts: { object: 'contact', sfObject: 'Contact', label: 'Contact', icon: 'contact' },
  deals: { object: 'deal', sfObject: 'Opportunity', label: 'Deal registration', icon: 'opportunity' },
};

export interface FieldComparison {
  key: string;
  sfField: string;
  direction: string;
  firstSyncOnly: boolean;
  prm: string;
  salesforce: string;
  agreed: string;
  differs: boolean;
  /** The side(s) that changed since the last agreed snapshot. */
  changedOn: string;
}

export function displayValue(value: MergeValue | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}

/** Field-by-field comparison. `sf` is undefined when Salesforce could not be read (then nothing "differs"). Pure. */
export function compareFields(fields: readonly FieldMap[], prmRow: Record<string, unknown>, sfRecord: Record<string, unknown> | undefined, snapshot: Record<string, MergeValue>): FieldComparison[] {
  const prm = prmValues(fields, prmRow);
  const sf = sfRecord ? sfValues(fields, sfRecord) : undefined;
  return fields.map((field) => {
    const p = prm[field.key];
    const s = sf?.[field.key];
    const agreed = snapshot[field.key];
    const same = (a: MergeValue | undefined, b: MergeValue | undefined) => displayValue(a) === displayValue(b);
    const changed = [field.key in snapshot && !same(p, agreed) ? 'PRM' : null, sf && field.key in snapshot && !same(s, agreed) ? 'Salesforce' : null].filter(Boolean).join(' and ');
    return {
      key: field.key,
      sfField: field.sfField,
      direction: field.direction,
      firstSyncOnly: field.firstSyncOnly,
      prm: displayValue(p),
      salesforce: sf ? (field.sfField in (sfRecord ?? {}) || s !== undefined ? displayValue(s) : '—') : 'not read',
      agreed: field.key in snapshot ? displayValue(agreed) : '—',
      differs: sf !== undefined && !same(p, s),
      changedOn: changed,
    };
  });
}

/** Deal fields the import fills, compared with the opportunity (deals have no link row or snapshot). */
export function dealFieldMaps(settings: IntegrationSettings): FieldMap[] {
  return settings.deals.mappings
    .filter((mapping) => mapping.direction !== 'to_salesforce')
    .map((mapping) => ({
      key: mapping.prmField,
      sfField: mapping.sfField,
      sfType: mapping.prmField === 'amount' ? 'number' : mapping.prmField === 'close_date' ? 'date' : 'string',
      direction: 'to_prm',
      firstSyncOnly: mapping.firstSyncOnly,
      valueMap: mapping.valueMap,
      readPrm: (row: Record<string, unknown>) => {
        const value = mapping.prmField.startsWith('custom.') ? (row.custom as Record<string, unknown> | undefined)?.[mapping.prmField.slice(7)] : row[mapping.prmField];
        if (mapping.prmField === 'amount' && value !== null && value !== undefined) return Number(value);
        return (value ?? null) as MergeValue;
      },
      writePrm: () => ({}),
    }));
}

export interface RecordFacts {
  kind: RecordKind;
  row: Record<string, unknown>;
  name: string;
  link: Link | null;
  sfId: string | null;
  comparison: FieldComparison[];
  salesforceError: string | null;
  salesforceMissing: boolean;
  viewInSalesforce: string | null;
}

export async function loadRecord(
  deps: { db: Knex; prm: PrmRepositories; config: Config; salesforce: SalesforceAccess; settings: IntegrationSettings },
  kind: RecordKind,
  id: string,
): Promise<RecordFacts | undefined> {
  const info = KIND_INFO[kind];
  const row = (kind === 'organizations'
    ? await deps.prm.organizations.get(id, { includeDeleted: true })
    : kind === 'contacts'
      ? await deps.prm.contacts.get(id, { includeDeleted: true })
      : await deps.prm.deals.get(id, { includeDeleted: true })) as unknown as Record<string, unknown> | undefined;
  if (!row) return undefined;
  const link = info.object === 'deal' ? null : ((await linksRepository.get(deps.db, info.object, { prmId: id })) ?? null);
  const sfId = info.object === 'deal' ? ((row.sf_opportunity_id as string | null) ?? null) : (link?.sf_id ?? null);
  const plan = syncPlanFromSettings(deps.settings, { wizardCompleted: true, publicUrl: deps.config.publicUrl });
  const fields = kind === 'organizations' ? plan.organizations.fields : kind === 'contacts' ? plan.contacts.fields : dealFieldMaps(deps.settings);
  let sfRecord: Record<string, unknown> | undefined;
  let salesforceError: string | null = null;
  if (sfId) {
    try {
      sfRecord = await deps.salesforce.record(info.sfObject, sfId, [...new Set(fields.map((field) => field.sfField))]);
    } catch (error) {
      salesforceError = (error as Error).message;
    }
  }
  const name = kind === 'contacts' ? [row.first_name, row.last_name].filter(Boolean).join(' ') : String(row.name ?? id);
  return {
    kind,
    row,
    name,
    link,
    sfId,
    comparison: compareFields(fields, row, sfRecord, link?.snapshot ?? {}),
    salesforceError,
    salesforceMissing: sfId !== null && salesforceError === null && sfRecord === undefined,
    viewInSalesforce: sfId ? await deps.salesforce.recordUrl(info.sfObject, sfId) : null,
  };
}
