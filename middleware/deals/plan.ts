// What one deal import needs to know, as a typed value: which Opportunity fields fill which deal fields,
// which deal fields must be filled, and how distributors take part. The importer and the eligibility
// rules read only this, never the settings; the settings module builds it (defaults below until then).
import { OPPORTUNITY_FIELDS } from '../salesforce/fields.ts';

/** The deal_registrations columns an import may fill. */
export const DEAL_COLUMNS = ['name', 'stage', 'amount', 'close_date'] as const;
export type DealColumn = (typeof DEAL_COLUMNS)[number];
/** A deal column or a custom field (`custom.<key>`, kept in deal_registrations.custom). */
export type DealField = DealColumn | `custom.${string}`;

export interface DealValueMapEntry {
  prm: string;
  sf: string;
}

export interface DealFieldMapping {
  prmField: DealField;
  /** Opportunity field API name, e.g. StageName or Region__c. */
  sfField: string;
  /** Salesforce value → PRM value, compared case-sensitively; absent or empty: values are taken as they are. */
  valueMap?: readonly DealValueMapEntry[];
}

export interface DealImportPlan {
  /** Global toggle and the deals direction together: false skips every run. */
  enabled: boolean;
  /** Opportunity checkbox "Sync with PRM". */
  syncFlagField: string;
  /** Opportunity checkbox "Export to PRM Deal". */
  exportFlagField: string;
  mappings: readonly DealFieldMapping[];
  /** Deal fields whose mapped Salesforce field must be filled (name and stage always are). */
  requiredFields: readonly DealField[];
  /** Distributor support: a `Distributor-Owned` opportunity is imported, and then needs no partner email. */
  distributorOwnedAllowed: boolean;
  /** Every deal needs a distributor user (PRM_Distributor_Email__c), whoever owns it. */
  distributorRequired: boolean;
  /** Base URL of the PRM, for PRM_Sys_URL__c. */
  publicUrl: string;
  /** How far before the stored cursor an incremental run starts reading (concurrent commits land out of order). */
  overlapMs: number;
  budget: { ownDailyShare: number; pauseAtOrgShare: number };
}

/** Deal columns the table cannot hold empty: they are always required, whatever the settings say. */
export const ALWAYS_REQUIRED: readonly DealColumn[] = ['name', 'stage'];

export function defaultDealImportPlan(overrides: Partial<DealImportPlan> = {}): DealImportPlan {
  return validateDealImportPlan({
    enabled: true,
    syncFlagField: OPPORTUNITY_FIELDS.syncFlag.name,
    exportFlagField: OPPORTUNITY_FIELDS.exportDeal.name,
    mappings: [
      { prmField: 'name', sfField: OPPORTUNITY_FIELDS.name.name },
      { prmField: 'stage', sfField: OPPORTUNITY_FIELDS.stageName.name },
      { prmField: 'amount', sfField: OPPORTUNITY_FIELDS.amount.name },
      { prmField: 'close_date', sfField: OPPORTUNITY_FIELDS.closeDate.name },
    ],
    requiredFields: ALWAYS_REQUIRED,
    distributorOwnedAllowed: true,
    distributorRequired: false,
    publicUrl: 'http://127.0.0.1:3000',
    overlapMs: 60_000,
    budget: { ownDailyShare: 0.1, pauseAtOrgShare: 0.8 },
    ...overrides,
  });
}

export class DealPlanError extends Error {
  override name = 'DealPlanError';
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const CUSTOM_KEY = /^custom\.[A-Za-z][A-Za-z0-9_]{0,62}$/;

/**
 * Checks a plan and returns it with name and stage added to the required fields. Refuses what the
 * import could not carry out: a required field without a mapping, one deal field mapped twice, a
 * Salesforce field name that is not an API name, a value map that sends one value two ways.
 */
export function validateDealImportPlan(plan: DealImportPlan): DealImportPlan {
  const problems: string[] = [];
  for (const name of [plan.syncFlagField, plan.exportFlagField]) {
    if (!API_NAME.test(name)) problems.push(`"${name}" is not a Salesforce field API name.`);
  }
  const seen = new Set<string>();
  for (const mapping of plan.mappings) {
    if (!(DEAL_COLUMNS as readonly string[]).includes(mapping.prmField) && !CUSTOM_KEY.test(mapping.prmField)) {
      problems.push(`Deal field "${mapping.prmField}" does not exist; use one of ${DEAL_COLUMNS.join(', ')} or custom.<key>.`);
    }
    if (!API_NAME.test(mapping.sfField)) problems.push(`"${mapping.sfField}" (mapped to ${mapping.prmField}) is not a Salesforce field API name.`);
    if (seen.has(mapping.prmField)) problems.push(`Deal field ${mapping.prmField} is mapped more than once.`);
    seen.add(mapping.prmField);
    const bySf = new Map<string, string>();
    for (const entry of mapping.valueMap ?? []) {
      const earlier = bySf.get(entry.sf);
      if (earlier !== undefined && earlier !== entry.prm) {
        problems.push(`The value map of ${mapping.sfField} sends "${entry.sf}" to both "${earlier}" and "${entry.prm}".`);
      }
      bySf.set(entry.sf, entry.prm);
    }
  }
  const required = [...new Set<DealField>([...ALWAYS_REQUIRED, ...plan.requiredFields])];
  for (const field of required) {
    if (!seen.has(field)) problems.push(`Deal field ${field} is required but no Opportunity field is mapped to it.`);
  }
  if (!/^https?:\/\/[^\s]+$/.test(plan.publicUrl)) problems.push(`The PRM public URL "${plan.publicUrl}" is not an http(s) URL.`);
  if (!Number.isInteger(plan.overlapMs) || plan.overlapMs < 0) problems.push('The cursor overlap must be a whole, non-negative number of milliseconds.');
  if (problems.length > 0) throw new DealPlanError(`The deal import settings cannot be used:\n  - ${problems.join('\n  - ')}`);
  return { ...plan, publicUrl: plan.publicUrl.replace(/\/+$/, ''), requiredFields: required };
}

/** The link written back to PRM_Sys_URL__c, the same shape as the record pages' route. */
export function dealUrl(plan: Pick<DealImportPlan, 'publicUrl'>, dealId: string): string {
  return `${plan.publicUrl}/records/deals/${dealId}`;
}
