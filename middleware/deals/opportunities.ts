// The Salesforce read side of the deal import: one SOQL over Opportunity with the primary contact role as
// a child subquery (no query per opportunity), and the parsing of its rows into OpportunityFacts.
import { OPPORTUNITY_CONTACT_ROLE_FIELDS, OPPORTUNITY_FIELDS } from '../salesforce/fields.ts';
import { SalesforceResponseError, type SfRecord } from '../salesforce/query.ts';
import { buildSelect, soqlIn, soqlCondition, soqlField } from '../salesforce/soql.ts';
import { parseSalesforceDate } from '../salesforce/adapter.ts';
import type { OpportunityFacts } from './eligibility.ts';
import type { DealImportPlan } from './plan.ts';

const F = OPPORTUNITY_FIELDS;
const ROLE = OPPORTUNITY_CONTACT_ROLE_FIELDS;
/** The child relationship from Opportunity to OpportunityContactRole. */
export const CONTACT_ROLES_RELATIONSHIP = 'OpportunityContactRoles';

/** An opportunity as read, with what the write-back compares against (echo suppression). */
export interface ReadOpportunity extends OpportunityFacts {
  modstamp: Date;
  /** PRM_Deal_Id__c and PRM_Sys_URL__c as they are on the opportunity now. */
  dealIdOnRecord: string | null;
  urlOnRecord: string | null;
}

export type ReadPlan = Pick<DealImportPlan, 'syncFlagField' | 'exportFlagField' | 'mappings'>;

/**
 * Opportunities that may concern the PRM — either checkbox ticked, or imported before — changed since
 * `since` (null: all), oldest change first so the cursor can advance page by page. Opportunities with
 * neither box ticked and no deal are ordinary sales work: they are not read, so not logged either.
 */
export function opportunityQuery(plan: ReadPlan, since: Date | null, onlyIds?: readonly string[]): string {
  const fields = [
    F.id.name,
    F.name.name,
    F.accountId.name,
    'Account.Name',
    F.systemModstamp.name,
    plan.syncFlagField,
    plan.exportFlagField,
    F.partnerEmail.name,
    F.distributorEmail.name,
    F.dealOwnerType.name,
    F.dealId.name,
    F.prmUrl.name,
    ...plan.mappings.map((mapping) => mapping.sfField),
  ];
  const primaryRole = buildSelect({
    object: CONTACT_ROLES_RELATIONSHIP,
    fields: [ROLE.contactId.name, ROLE.isPrimary.name],
    where: [`${soqlField(ROLE.isPrimary.name)} = true`],
  });
  const candidate = `${soqlField(plan.syncFlagField)} = true OR ${soqlField(plan.exportFlagField)} = true OR ${soqlField(F.dealId.name)} != null`;
  return buildSelect({
    object: 'Opportunity',
    fields,
    subqueries: [`(${primaryRole})`],
    where: [...(since ? [soqlCondition(F.systemModstamp.name, '>=', since)] : []), candidate, ...(onlyIds ? [soqlIn(F.id.name, onlyIds)] : [])],
    orderBy: [F.systemModstamp.name, F.id.name],
  });
}

/** One query row → the facts the rules judge. A row without Id or SystemModstamp is a broken answer. */
export function parseOpportunity(record: SfRecord, plan: ReadPlan): ReadOpportunity {
  const id = record.Id;
  const modstamp = parseSalesforceDate(record[F.systemModstamp.name]);
  if (typeof id !== 'string' || !modstamp) {
    throw new SalesforceResponseError('Salesforce returned an Opportunity row without Id or SystemModstamp; the deal import query selects both.');
  }
  const account = record.Account as { Name?: unknown } | null | undefined;
  const fields: Record<string, unknown> = {};
  for (const mapping of plan.mappings) fields[mapping.sfField] = record[mapping.sfField] ?? null;
  return {
    id,
    name: text(record[F.name.name]) ?? id,
    accountId: text(record[F.accountId.name]),
    accountName: text(account?.Name),
    primaryContactId: primaryContactOf(record),
    syncFlag: record[plan.syncFlagField] === true,
    exportFlag: record[plan.exportFlagField] === true,
    partnerEmail: text(record[F.partnerEmail.name]),
    distributorEmail: text(record[F.distributorEmail.name]),
    ownerType: text(record[F.dealOwnerType.name]),
    fields,
    modstamp,
    dealIdOnRecord: text(record[F.dealId.name]),
    urlOnRecord: text(record[F.prmUrl.name]),
  };
}

/** The child subquery nests as a query result (`{ totalSize, done, records }`) or null when empty. */
function primaryContactOf(record: SfRecord): string | null {
  const roles = record[CONTACT_ROLES_RELATIONSHIP] as { records?: unknown } | null | undefined;
  if (roles === null || roles === undefined) return null;
  if (!Array.isArray(roles.records)) throw new SalesforceResponseError(`Salesforce returned ${CONTACT_ROLES_RELATIONSHIP} of opportunity ${String(record.Id)} without records.`);
  for (const role of roles.records as Array<Record<string, unknown>>) {
    if (role[ROLE.isPrimary.name] === true && typeof role[ROLE.contactId.name] === 'string') return role[ROLE.contactId.name] as string;
  }
  return null;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return value.trim() === '' ? null : value;
}
