// The rules of spec §8 as one pure function: may this Opportunity become a PRM deal registration, and if
// so, who owns it and with which values? Every rule is judged, so an admin sees every reason at once:
// at most one failure per rule, each a log catalogue code with its parameters.
import { DEAL_OWNER_TYPE_VALUES } from '../salesforce/fields.ts';
import type { LogCode } from '../log/catalogue.ts';
import type { DealColumn, DealImportPlan } from './plan.ts';
import { convertMappedValue, isBlank, type DealScalar } from './values.ts';

export const DEAL_REGISTRATION_MODULE = 'deal_registration';
const [PARTNER_OWNED, DISTRIBUTOR_OWNED] = DEAL_OWNER_TYPE_VALUES;

/** What the importer read about one Opportunity (and its primary contact role). */
export interface OpportunityFacts {
  id: string;
  /** Opportunity Name, for messages. */
  name: string;
  accountId: string | null;
  /** Account Name, for messages (null when the account is not readable). */
  accountName: string | null;
  /** ContactId of the primary OpportunityContactRole, if there is one. */
  primaryContactId: string | null;
  syncFlag: boolean;
  exportFlag: boolean;
  partnerEmail: string | null;
  distributorEmail: string | null;
  ownerType: string | null;
  /** Values of the mapped Opportunity fields, by API name. */
  fields: Readonly<Record<string, unknown>>;
}

/** A PRM user (a contact with is_user) as the rules need it. */
export interface PrmUser {
  contactId: string;
  organizationId: string;
  organizationKind: 'partner' | 'distributor';
  active: boolean;
  /** The union of the modules of the user's live groups. */
  modules: readonly string[];
}

/** The PRM side, resolved in batches by the importer for a page of opportunities. */
export interface PrmDirectory {
  /** Salesforce Account id → linked PRM organization id (links in state `linked` only). */
  organizationByAccountId: ReadonlyMap<string, string>;
  /** Salesforce Contact id → linked PRM contact id. */
  contactByContactId: ReadonlyMap<string, string>;
  /** Live users by normalized email (trimmed, lower case); one email may belong to users of several organizations. */
  usersByEmail: ReadonlyMap<string, readonly PrmUser[]>;
}

export type EligibilityRules = Pick<DealImportPlan, 'syncFlagField' | 'exportFlagField' | 'mappings' | 'requiredFields' | 'distributorOwnedAllowed' | 'distributorRequired'>;

export interface RuleFailure {
  code: LogCode;
  params: Record<string, string>;
}

/** The deal as the import writes it; mapped-but-optional columns are present only when mapped. */
export interface DealValues {
  organization_id: string;
  owner_contact_id: string;
  distributor_organization_id: string | null;
  distributor_contact_id: string | null;
  name: string;
  stage: string;
  amount?: string | null;
  close_date?: string | null;
  /** Mapped custom fields only; null removes the key from the deal. */
  custom: Record<string, DealScalar>;
}

export type Eligibility =
  | { eligible: true; owner: { role: 'partner' | 'distributor'; contactId: string }; values: DealValues }
  | { eligible: false; failures: RuleFailure[] };

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function judgeOpportunity(opportunity: OpportunityFacts, directory: PrmDirectory, rules: EligibilityRules): Eligibility {
  const failures: RuleFailure[] = [];
  const fail = (code: LogCode, params: Record<string, string> = {}) => failures.push({ code, params: { opportunity: opportunity.name, ...params } });

  // Rule: an Account that is linked.
  let organizationId: string | undefined;
  if (!opportunity.accountId) fail('DEAL_NO_ACCOUNT');
  else {
    organizationId = directory.organizationByAccountId.get(opportunity.accountId);
    if (!organizationId) fail('DEAL_ACCOUNT_NOT_LINKED', { account: accountLabel(opportunity) });
  }

  // Rule: a primary contact role whose Contact is linked.
  if (!opportunity.primaryContactId) fail('DEAL_NO_PRIMARY_CONTACT');
  else if (!directory.contactByContactId.has(opportunity.primaryContactId)) fail('DEAL_PRIMARY_CONTACT_NOT_LINKED', { contactId: opportunity.primaryContactId });

  // Rules: both checkboxes.
  if (!opportunity.syncFlag) fail('DEAL_SYNC_NOT_CHECKED', { field: rules.syncFlagField });
  if (!opportunity.exportFlag) fail('DEAL_EXPORT_NOT_CHECKED', { field: rules.exportFlagField });

  // Rule: who owns the deal. A blank owner type is the picklist's default, Partner-Owned. An owner type
  // the import cannot honour fails here, and the other rules are judged as for Partner-Owned — the fix
  // the suggestion proposes — so the admin sees what else would stand in the way.
  const ownerType = isBlank(opportunity.ownerType) ? PARTNER_OWNED : String(opportunity.ownerType).trim();
  let distributorOwned = false;
  if (ownerType === DISTRIBUTOR_OWNED) {
    if (rules.distributorOwnedAllowed) distributorOwned = true;
    else fail('DEAL_DISTRIBUTOR_OWNED_NOT_ALLOWED');
  } else if (ownerType !== PARTNER_OWNED) fail('DEAL_OWNER_TYPE_UNKNOWN', { value: ownerType });

  // Rule: the partner user — required unless the distributor owns the deal.
  let partner: PrmUser | undefined;
  if (isBlank(opportunity.partnerEmail)) {
    if (!distributorOwned) fail('DEAL_PARTNER_EMAIL_MISSING');
  } else {
    const judged = judgeUser('partner', String(opportunity.partnerEmail), directory, organizationId);
    if ('failure' in judged) fail(judged.failure, { email: String(opportunity.partnerEmail).trim() });
    else partner = judged.user;
  }

  // Rule: the distributor user — when given, when it owns the deal, or when every deal needs one.
  let distributor: PrmUser | undefined;
  if (isBlank(opportunity.distributorEmail)) {
    if (distributorOwned) fail('DEAL_DISTRIBUTOR_EMAIL_MISSING', { reason: 'the deal is Distributor-Owned' });
    else if (rules.distributorRequired) fail('DEAL_DISTRIBUTOR_EMAIL_MISSING', { reason: 'the PRM requires a distributor on every deal' });
  } else {
    const judged = judgeUser('distributor', String(opportunity.distributorEmail), directory);
    if ('failure' in judged) fail(judged.failure, { email: String(opportunity.distributorEmail).trim() });
    else distributor = judged.user;
  }

  // Rule: every Salesforce field mapped to a required deal field is filled (and every mapped value translates).
  const mapped = mapValues(opportunity, rules, fail);

  if (failures.length > 0) return { eligible: false, failures };
  const owner = distributorOwned ? distributor : partner;
  if (!owner || !organizationId) throw new Error(`Eligibility of opportunity ${opportunity.id}: no failure recorded but no owner or organization resolved.`);
  return {
    eligible: true,
    owner: { role: distributorOwned ? 'distributor' : 'partner', contactId: owner.contactId },
    values: {
      organization_id: organizationId,
      owner_contact_id: owner.contactId,
      distributor_organization_id: distributor?.organizationId ?? null,
      distributor_contact_id: distributor?.contactId ?? null,
      name: String(mapped.columns.name),
      stage: String(mapped.columns.stage),
      ...('amount' in mapped.columns ? { amount: mapped.columns.amount as string | null } : {}),
      ...('close_date' in mapped.columns ? { close_date: mapped.columns.close_date as string | null } : {}),
      custom: mapped.custom,
    },
  };
}

function accountLabel(opportunity: OpportunityFacts): string {
  return opportunity.accountName ? `'${opportunity.accountName}' (${opportunity.accountId})` : String(opportunity.accountId);
}

type UserJudgement = { user: PrmUser } | { failure: LogCode };

const USER_FAILURES = {
  partner: { unknown: 'DEAL_PARTNER_EMAIL_UNKNOWN', wrongKind: 'DEAL_PARTNER_EMAIL_NOT_PARTNER', inactive: 'DEAL_PARTNER_USER_INACTIVE', noAccess: 'DEAL_PARTNER_NO_DEAL_ACCESS' },
  distributor: {
    unknown: 'DEAL_DISTRIBUTOR_EMAIL_UNKNOWN',
    wrongKind: 'DEAL_DISTRIBUTOR_EMAIL_NOT_DISTRIBUTOR',
    inactive: 'DEAL_DISTRIBUTOR_USER_INACTIVE',
    noAccess: 'DEAL_DISTRIBUTOR_NO_DEAL_ACCESS',
  },
} as const satisfies Record<'partner' | 'distributor', Record<string, LogCode>>;

/**
 * The user an email names, for one role. Emails are unique per organization only, so several users may
 * share one: a user that passes wins (one of the preferred organization first), otherwise the failure
 * closest to passing is reported (inactive before unknown, no access before inactive).
 */
function judgeUser(role: 'partner' | 'distributor', email: string, directory: PrmDirectory, preferredOrganizationId?: string): UserJudgement {
  const codes = USER_FAILURES[role];
  const candidates = directory.usersByEmail.get(normalizeEmail(email)) ?? [];
  const ofRole = candidates.filter((user) => user.organizationKind === role);
  if (ofRole.length === 0) return { failure: candidates.length > 0 ? codes.wrongKind : codes.unknown };
  const active = ofRole.filter((user) => user.active);
  if (active.length === 0) return { failure: codes.inactive };
  const withAccess = active.filter((user) => user.modules.includes(DEAL_REGISTRATION_MODULE));
  const chosen = withAccess.find((user) => user.organizationId === preferredOrganizationId) ?? withAccess[0];
  return chosen ? { user: chosen } : { failure: codes.noAccess };
}

interface MappedValues {
  columns: Partial<Record<DealColumn, DealScalar>>;
  custom: Record<string, DealScalar>;
}

function mapValues(opportunity: OpportunityFacts, rules: EligibilityRules, fail: (code: LogCode, params: Record<string, string>) => void): MappedValues {
  const out: MappedValues = { columns: {}, custom: {} };
  for (const mapping of rules.mappings) {
    const converted = convertMappedValue(mapping, opportunity.fields[mapping.sfField]);
    if (!converted.ok) {
      if (converted.reason === 'unmapped') fail('DEAL_VALUE_UNMAPPED', { sfField: mapping.sfField, value: converted.raw, prmField: mapping.prmField });
      else fail('DEAL_VALUE_INVALID', { sfField: mapping.sfField, value: converted.raw, problem: converted.problem });
      continue;
    }
    if (converted.value === null && rules.requiredFields.includes(mapping.prmField)) {
      fail('DEAL_REQUIRED_FIELD_MISSING', { sfField: mapping.sfField, prmField: mapping.prmField });
      continue;
    }
    if (mapping.prmField.startsWith('custom.')) out.custom[mapping.prmField.slice('custom.'.length)] = converted.value;
    else out.columns[mapping.prmField as DealColumn] = converted.value;
  }
  return out;
}
