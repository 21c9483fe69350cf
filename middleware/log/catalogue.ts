// The integration log's fixed catalogue: every code has a plain-language message and a suggested fix, so
// an admin reading the log knows what happened and what to do. Messages take the facts as parameters.

export type LogLevel = 'info' | 'warning' | 'error';

interface CatalogueEntry<P> {
  level: LogLevel;
  message: (p: P) => string;
  suggestion: (p: P) => string;
}

type Params = Record<string, string | number | undefined>;
const entry = <P extends Params>(level: LogLevel, message: (p: P) => string, suggestion: (p: P) => string): CatalogueEntry<P> => ({ level, message, suggestion });

export const LOG_CATALOGUE = {
  RUN_STARTED: entry<{ job: string; mode: string }>('info', (p) => `Run of ${p.job} (${p.mode}) started.`, () => ''),
  RUN_FINISHED: entry<{ job: string; summary: string }>('info', (p) => `Run of ${p.job} finished: ${p.summary}.`, () => ''),
  RUN_FAILED: entry<{ job: string; reason: string }>(
    'error',
    (p) => `Run of ${p.job} failed: ${p.reason}`,
    () => 'Nothing was lost: cursors only advance past confirmed work. Fix the cause and the next run resumes where this one stopped.',
  ),
  SYNC_DISABLED: entry<{ job: string }>('info', (p) => `Run of ${p.job} skipped: the integration is switched off.`, () => 'Turn the integration on in Settings when you want it to sync again.'),
  WIZARD_NOT_COMPLETED: entry<{ job: string }>(
    'warning',
    (p) => `Run of ${p.job} skipped: the matching wizard has not been completed yet.`,
    () => 'Finish the matching wizard once (Wizard → Confirm) so that existing partners are linked before the sync creates anything.',
  ),
  SF_WRITE_FAILED: entry<{ object: string; name: string; statusCode: string; detail: string }>(
    'error',
    (p) => `Salesforce refused the ${p.object} "${p.name}": ${p.statusCode} — ${p.detail}`,
    (p) => salesforceFix(p.statusCode),
  ),
  PRM_WRITE_FAILED: entry<{ object: string; name: string; detail: string }>(
    'error',
    (p) => `The PRM refused the update of ${p.object} "${p.name}": ${p.detail}`,
    () => 'Correct the value in Salesforce (or the field mapping); the record is retried on the next run.',
  ),
  DUPLICATE_PRM_ID: entry<{ object: string; name: string; prmId: string; linkedSfId: string }>(
    'error',
    (p) => `The Salesforce ${p.object} "${p.name}" carries the PRM id ${p.prmId}, which belongs to the linked ${p.object} ${p.linkedSfId}; it was left alone.`,
    (p) => `Merge the two records in Salesforce, or clear PRM Id on the one that is not ${p.linkedSfId}.`,
  ),
  CONTACT_NO_EMAIL: entry<{ name: string }>(
    'warning',
    (p) => `Salesforce contact "${p.name}" has no email address and cannot sync.`,
    () => 'Add an email address to the contact in Salesforce; PRM contacts are matched and kept unique by email.',
  ),
  CONTACT_EMAIL_TAKEN: entry<{ name: string; email: string }>(
    'warning',
    (p) => `Salesforce contact "${p.name}" has the email ${p.email}, which another contact of the same organization already uses in the PRM.`,
    () => 'Merge the duplicate contacts in Salesforce or give this one its own email address.',
  ),
  CONTACT_ACCOUNT_NOT_LINKED: entry<{ name: string }>(
    'warning',
    (p) => `Salesforce contact "${p.name}" belongs to an account that is not synced with the PRM.`,
    () => 'Flag the account "Sync with PRM" (or link it in the matching wizard) to sync its contacts.',
  ),
  ACCOUNT_NOT_CATEGORIZED: entry<{ name: string; value: string }>(
    'warning',
    (p) => `Salesforce account "${p.name}" is flagged "Sync with PRM" but its partner status "${p.value}" does not say whether it is a reseller or a distributor.`,
    () => 'Set PRM Partner Status on the account (or map the value in Settings → Status picklist); it is created in the PRM on the next run.',
  ),
  PICKLIST_VALUE_UNMAPPED: entry<{ field: string; value: string; side: string }>(
    'error',
    (p) => `The ${p.side} value "${p.value}" of ${p.field} has no counterpart in the picklist value map.`,
    (p) => `Map "${p.value}" in Settings → Field Mappings (${p.field}); picklist values are compared case-sensitively.`,
  ),
  VALUE_TOO_LONG: entry<{ field: string; length: number; limit: number; prmField: string }>(
    'error',
    (p) => `The Salesforce value of ${p.field} has ${p.length} characters, more than the ${p.limit} the PRM's ${p.prmField} holds; it was not taken.`,
    (p) => `Shorten ${p.field} in Salesforce to at most ${p.limit} characters (or map a shorter field); the record's other fields sync as usual.`,
  ),
  CONFLICT_RESOLVED: entry<{ field: string; winner: string; rule: string }>(
    'info',
    (p) => `${p.field} was changed on both sides; the ${p.winner} value was kept (${p.rule}).`,
    () => 'If the other value was right, change it again on the side that should win; change the conflict policy in Settings if this happens often.',
  ),
  RECORD_DISCONNECTED: entry<{ object: string; name: string; reason: string }>(
    'warning',
    (p) => `The Salesforce ${p.object} "${p.name}" ${p.reason}; the PRM record is kept and marked disconnected.`,
    () => 'Undelete the record or tick "Sync with PRM" again in Salesforce to reconnect it; otherwise no action is needed.',
  ),
  RECORD_DELETED_IN_PRM: entry<{ object: string; name: string }>(
    'info',
    (p) => `The PRM ${p.object} "${p.name}" was deleted; the Salesforce record is kept and marked "(Deleted)".`,
    () => 'Delete the Salesforce record by hand if it is no longer needed.',
  ),
  RECORD_RELINKED: entry<{ object: string; name: string }>('info', (p) => `The Salesforce ${p.object} "${p.name}" is back and was relinked by its PRM id.`, () => ''),
  API_LIMIT_NEAR: entry<{ used: number; limit: number; share: string }>(
    'warning',
    (p) => `Salesforce API usage is at ${p.used} of ${p.limit} daily calls (${p.share}); scheduled jobs are paused.`,
    () => 'Scheduled syncs resume by themselves when usage drops; raise the share prm-sync may use in Settings, or run Sync Now for urgent records.',
  ),
  API_LIMIT_EXCEEDED: entry<Params>(
    'error',
    () => 'Salesforce refused the call with REQUEST_LIMIT_EXCEEDED: the org used its daily API allocation.',
    () => 'Nothing was lost; the job resumes when the rolling 24-hour window frees calls. Check which other integrations use the API.',
  ),
  SESSION_REFRESH_FAILED: entry<{ reason: string }>(
    'error',
    (p) => `Salesforce refused the session: ${p.reason}`,
    () => 'Reconnect the integration in Settings → Connection.',
  ),
  // Opportunity → deal registration import (spec §8): one code per eligibility rule and failure mode.
  DEAL_NO_ACCOUNT: entry<{ opportunity: string }>(
    'warning',
    (p) => `Opportunity '${p.opportunity}' has no account, so it cannot become a PRM deal.`,
    () => "Set the opportunity's Account to the partner's account (one that syncs with the PRM); it imports on the next run.",
  ),
  DEAL_ACCOUNT_NOT_LINKED: entry<{ opportunity: string; account: string }>(
    'warning',
    (p) => `Opportunity '${p.opportunity}' belongs to the account ${p.account}, which is not linked to a PRM organization.`,
    () => 'Tick "Sync with PRM" on the account and link it (matching wizard or the next sync); the opportunity imports on the next run.',
  ),
  DEAL_NO_PRIMARY_CONTACT: entry<{ opportunity: string }>(
    'warning',
    (p) => `Opportunity '${p.opportunity}' has no primary contact.`,
    () => 'Mark one contact role as Primary in Salesforce.',
  ),
  DEAL_PRIMARY_CONTACT_NOT_LINKED: entry<{ opportunity: string; contactId: string }>(
    'warning',
    (p) => `The primary contact (${p.contactId}) of opportunity '${p.opportunity}' is not linked to a PRM contact.`,
    () => "Give the contact an email address and make sure its account syncs with the PRM (or link it in the matching wizard), or make a linked contact the primary one.",
  ),
  DEAL_SYNC_NOT_CHECKED: entry<{ opportunity: string; field: string }>(
    'warning',
    (p) => `Opportunity '${p.opportunity}' does not have "Sync with PRM" (${p.field}) checked.`,
    (p) => `Check ${p.field} on the opportunity if it should become a PRM deal.`,
  ),
  DEAL_EXPORT_NOT_CHECKED: entry<{ opportunity: string; field: string }>(
    'warning',
    (p) => `Opportunity '${p.opportunity}' does not have "Export to PRM Deal" (${p.field}) checked.`,
    (p) => `Check ${p.field} on the opportunity if it should become a PRM deal.`,
  ),
  DEAL_OWNER_TYPE_UNKNOWN: entry<{ opportunity: string; value: string }>(
    'warning',
    (p) => `Opportunity '${p.opportunity}' has the deal owner type "${p.value}", which is neither Partner-Owned nor Distributor-Owned.`,
    () => 'Set PRM Deal Owner Type on the opportunity to Partner-Owned or Distributor-Owned.',
  ),
  DEAL_DISTRIBUTOR_OWNED_NOT_ALLOWED: entry<{ opportunity: string }>(
    'warning',
    (p) => `Opportunity '${p.opportunity}' is Distributor-Owned, but distributor-owned deals are switched off for the PRM.`,
    () => 'Set PRM Deal Owner Type to Partner-Owned, or allow distributor-owned deals in Settings.',
  ),
  DEAL_PARTNER_EMAIL_MISSING: entry<{ opportunity: string }>(
    'warning',
    (p) => `Opportunity '${p.opportunity}' has no Partner Email; a partner-owned deal needs the partner user who will own it.`,
    () => "Enter the partner user's email in PRM Partner Email on the opportunity.",
  ),
  DEAL_PARTNER_EMAIL_UNKNOWN: entry<{ opportunity: string; email: string }>(
    'warning',
    (p) => `Partner Email ${p.email} of opportunity '${p.opportunity}' does not belong to an active partner user.`,
    () => 'Invite the user in the PRM or correct the email on the opportunity.',
  ),
  DEAL_PARTNER_EMAIL_NOT_PARTNER: entry<{ opportunity: string; email: string }>(
    'warning',
    (p) => `Partner Email ${p.email} of opportunity '${p.opportunity}' belongs to a distributor user, not a partner user.`,
    () => "Put the partner user's email in PRM Partner Email; a distributor user belongs in PRM Distributor Email.",
  ),
  DEAL_PARTNER_USER_INACTIVE: entry<{ opportunity: string; email: string }>(
    'warning',
    (p) => `Partner Email ${p.email} of opportunity '${p.opportunity}' belongs to a partner user who is deactivated in the PRM.`,
    () => "Reactivate the user in the PRM, or enter an active partner user's email on the opportunity.",
  ),
  DEAL_PARTNER_NO_DEAL_ACCESS: entry<{ opportunity: string; email: string }>(
    'warning',
    (p) => `Partner Email ${p.email} of opportunity '${p.opportunity}' belongs to a partner user whose groups have no deal registration access.`,
    () => "Add the user to a group with the Deal Registration module in the PRM, or enter another partner user's email.",
  ),
  DEAL_DISTRIBUTOR_EMAIL_MISSING: entry<{ opportunity: string; reason: string }>(
    'warning',
    (p) => `Opportunity '${p.opportunity}' has no Distributor Email, which it needs because ${p.reason}.`,
    () => "Enter the distributor user's email in PRM Distributor Email on the opportunity.",
  ),
  DEAL_DISTRIBUTOR_EMAIL_UNKNOWN: entry<{ opportunity: string; email: string }>(
    'warning',
    (p) => `Distributor Email ${p.email} of opportunity '${p.opportunity}' does not belong to an active distributor user.`,
    () => 'Invite the distributor user in the PRM or correct the email on the opportunity.',
  ),
  DEAL_DISTRIBUTOR_EMAIL_NOT_DISTRIBUTOR: entry<{ opportunity: string; email: string }>(
    'warning',
    (p) => `Distributor Email ${p.email} of opportunity '${p.opportunity}' belongs to a partner user, not a distributor user.`,
    () => "Put the distributor user's email in PRM Distributor Email; a partner user belongs in PRM Partner Email.",
  ),
  DEAL_DISTRIBUTOR_USER_INACTIVE: entry<{ opportunity: string; email: string }>(
    'warning',
    (p) => `Distributor Email ${p.email} of opportunity '${p.opportunity}' belongs to a distributor user who is deactivated in the PRM.`,
    () => "Reactivate the user in the PRM, or enter an active distributor user's email on the opportunity.",
  ),
  DEAL_DISTRIBUTOR_NO_DEAL_ACCESS: entry<{ opportunity: string; email: string }>(
    'warning',
    (p) => `Distributor Email ${p.email} of opportunity '${p.opportunity}' belongs to a distributor user whose groups have no deal registration access.`,
    () => "Add the user to a group with the Deal Registration module in the PRM, or enter another distributor user's email.",
  ),
  DEAL_REQUIRED_FIELD_MISSING: entry<{ opportunity: string; sfField: string; prmField: string }>(
    'warning',
    (p) => `Opportunity '${p.opportunity}' has no value in ${p.sfField}, which fills the required deal field ${p.prmField}.`,
    (p) => `Fill ${p.sfField} on the opportunity, or map another field to ${p.prmField} in Settings → Field Mappings.`,
  ),
  DEAL_VALUE_UNMAPPED: entry<{ opportunity: string; sfField: string; value: string; prmField: string }>(
    'error',
    (p) => `Opportunity '${p.opportunity}' has ${p.sfField} "${p.value}", which the value map of deal field ${p.prmField} does not translate.`,
    (p) => `Map "${p.value}" in Settings → Field Mappings (deals, ${p.prmField}); values are compared case-sensitively.`,
  ),
  DEAL_VALUE_INVALID: entry<{ opportunity: string; sfField: string; value: string; problem: string }>(
    'error',
    (p) => `Opportunity '${p.opportunity}' has ${p.sfField} "${p.value}", which cannot be imported: ${p.problem}.`,
    () => 'Correct the value in Salesforce, or map another field in Settings → Field Mappings.',
  ),
  DEAL_WRITE_BACK_FAILED: entry<{ opportunity: string; statusCode: string; detail: string }>(
    'error',
    (p) => `The deal of opportunity '${p.opportunity}' was imported, but Salesforce refused the link back (deal id and URL): ${p.statusCode} — ${p.detail}`,
    () => 'Give the integration user edit access to the PRM_ opportunity fields (permission set PRM_Integration); the link back is retried on the next run.',
  ),
} as const;

export type LogCode = keyof typeof LOG_CATALOGUE;
export type LogParams<C extends LogCode> = (typeof LOG_CATALOGUE)[C] extends CatalogueEntry<infer P> ? P : never;

/** A fix for the Salesforce error codes integrations meet most. */
function salesforceFix(statusCode: string): string {
  switch (statusCode) {
    case 'STRING_TOO_LONG':
      return 'Shorten the value in the PRM, or widen the Salesforce field; the record is retried on the next run.';
    case 'REQUIRED_FIELD_MISSING':
      return 'Fill the required field in the PRM or map it in Settings → Field Mappings.';
    case 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST':
      return 'Add the value to the Salesforce picklist, or map it to an existing value in Settings → Field Mappings.';
    case 'INVALID_EMAIL_ADDRESS':
      return 'Correct the email address in the PRM.';
    case 'DUPLICATE_VALUE':
      return 'Another Salesforce record already carries this PRM id; unlink or merge the duplicate in Salesforce.';
    case 'DUPLICATE_EXTERNAL_ID':
      return 'Several Salesforce records carry this PRM id (listed above): merge them, or clear PRM Id on the ones that should not sync; the record is retried on the next run.';
    case 'UNABLE_TO_LOCK_ROW':
      return 'Another process held the record; it is retried automatically on the next run.';
    case 'FIELD_CUSTOM_VALIDATION_EXCEPTION':
      return 'A Salesforce validation rule refused the value: adjust the data or the rule.';
    case 'INSUFFICIENT_ACCESS_OR_READONLY':
    case 'INVALID_FIELD_FOR_INSERT_UPDATE':
      return 'Give the integration user edit access (permission set PRM_Integration) or stop mapping the field towards Salesforce.';
    default:
      return 'Check the value in the PRM against the Salesforce field; the record is retried on the next run.';
  }
}

export interface LogEntryInput {
  runId?: string | null;
  object?: string | null;
  prmId?: string | null;
  sfId?: string | null;
  details?: Record<string, unknown>;
}

export interface LogRow {
  run_id: string | null;
  level: LogLevel;
  object: string | null;
  prm_id: string | null;
  sf_id: string | null;
  code: LogCode;
  message: string;
  suggestion: string | null;
  details: Record<string, unknown>;
}

export function logRow<C extends LogCode>(code: C, params: LogParams<C>, input: LogEntryInput = {}): LogRow {
  const item = LOG_CATALOGUE[code] as unknown as CatalogueEntry<LogParams<C>>;
  const suggestion = item.suggestion(params);
  return {
    run_id: input.runId ?? null,
    level: item.level,
    object: input.object ?? null,
    prm_id: input.prmId ?? null,
    sf_id: input.sfId ?? null,
    code,
    message: item.message(params),
    suggestion: suggestion === '' ? null : suggestion,
    details: input.details ?? {},
  };
}
