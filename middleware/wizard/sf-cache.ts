// Refresh Data, Salesforce side: every flagged account and every contact of a flagged account, each read
// with one streamed SOQL query, stored in the wizard's cache with the raw values of every mapped field
// (for the merge preview) and the normalized matching features (for scoring and the trigram search).
// Rows a refresh did not see again (unflagged or deleted since) are dropped at the end.
import type { Db } from '../db/knex.ts';
import { normalizeRecord } from '../matching/normalize.ts';
import type { SalesforceSession } from '../salesforce/connection.ts';
import { streamQuery, type SfRecord } from '../salesforce/query.ts';
import { buildSelect, soqlCondition } from '../salesforce/soql.ts';
import type { SyncPlan } from '../sync/plan.ts';
import type { TaskProgress } from './tasks.ts';

/** Standard Account fields the matcher compares, whatever the mappings say. */
const ACCOUNT_MATCH_FIELDS = ['Name', 'Website', 'Phone', 'BillingStreet', 'BillingCity', 'BillingState', 'BillingPostalCode', 'BillingCountry'] as const;
const CONTACT_FIELDS = ['AccountId', 'FirstName', 'LastName', 'Email'] as const;
/** Rows per insert: well under PostgreSQL's 65,535 bind parameters. */
const INSERT_BATCH = 1000;

export function accountFieldsToRead(plan: SyncPlan): string[] {
  const statusField = plan.organizations.fields.find((field) => field.key === 'partner_status')?.sfField;
  return [...new Set(['Id', 'LastModifiedDate', ...ACCOUNT_MATCH_FIELDS, plan.accountSyncFlagField, plan.externalIdField, ...(statusField ? [statusField] : []), ...plan.organizations.fields.map((f) => f.sfField)])];
}

export function contactFieldsToRead(plan: SyncPlan): string[] {
  return [...new Set(['Id', ...CONTACT_FIELDS, plan.externalIdField, ...(plan.contactSyncFlagField ? [plan.contactSyncFlagField] : []), ...plan.contacts.fields.map((f) => f.sfField)])];
}

const text = (value: unknown): string | null => (value === null || value === undefined || value === '' ? null : String(value));

/** The field values of a query row without jsforce's `attributes`. */
function rawFields(record: SfRecord): Record<string, unknown> {
  const { attributes: _attributes, ...fields } = record;
  return fields;
}

export function accountRow(plan: SyncPlan, record: SfRecord, refreshedAt: Date): Record<string, unknown> {
  const statusField = plan.organizations.fields.find((field) => field.key === 'partner_status')?.sfField;
  const normalized = normalizeRecord({
    id: String(record.Id),
    name: text(record.Name),
    street: text(record.BillingStreet),
    city: text(record.BillingCity),
    postalCode: text(record.BillingPostalCode),
    phone: text(record.Phone),
    website: text(record.Website),
  });
  return {
    sf_id: String(record.Id),
    name: text(record.Name) ?? String(record.Id),
    website: text(record.Website),
    phone: text(record.Phone),
    billing_street: text(record.BillingStreet),
    billing_city: text(record.BillingCity),
    billing_state: text(record.BillingState),
    billing_postal_code: text(record.BillingPostalCode),
    billing_country: text(record.BillingCountry),
    status_value: statusField ? text(record[statusField]) : null,
    prm_id_value: text(record[plan.externalIdField]),
    fields: JSON.stringify(rawFields(record)),
    norm_name: normalized.name,
    norm_street: normalized.street,
    norm_city: normalized.city,
    norm_postal_code: normalized.postalCode,
    norm_phone: normalized.phone,
    norm_website: normalized.website,
    norm_address: [normalized.street, normalized.city].filter(Boolean).join(' '),
    last_modified: text(record.LastModifiedDate),
    refreshed_at: refreshedAt,
  };
}

/** Contact emails compare trimmed and lower-cased, as the PRM stores them. */
export function normalizeEmail(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

export function contactRow(plan: SyncPlan, record: SfRecord, refreshedAt: Date): Record<string, unknown> {
  return {
    sf_id: String(record.Id),
    account_id: String(record.AccountId ?? ''),
    first_name: text(record.FirstName),
    last_name: text(record.LastName),
    email: text(record.Email),
    norm_email: normalizeEmail(record.Email),
    opted_out: plan.contactSyncFlagField !== null && record[plan.contactSyncFlagField] === false,
    prm_id_value: text(record[plan.externalIdField]),
    fields: JSON.stringify(rawFields(record)),
    refreshed_at: refreshedAt,
  };
}

async function upsertRows(db: Db, table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    await db(table).insert(rows.slice(start, start + INSERT_BATCH)).onConflict('sf_id').merge();
  }
}

export interface CacheCounts {
  accounts: number;
  contacts: number;
}

export async function refreshSalesforceCache(db: Db, session: SalesforceSession, plan: SyncPlan, progress: TaskProgress): Promise<CacheCounts> {
  const refreshedAt = new Date();
  const counts: CacheCounts = { accounts: 0, contacts: 0 };

  progress.phase('Reading flagged Salesforce accounts');
  const accounts = buildSelect({ object: 'Account', fields: accountFieldsToRead(plan), where: [soqlCondition(plan.accountSyncFlagField, '=', true)], orderBy: ['Id'] });
  for await (const page of streamQuery(session, accounts)) {
    await upsertRows(db, 'wizard_sf_accounts', page.records.map((record) => accountRow(plan, record, refreshedAt)));
    counts.accounts += page.records.length;
    progress.advance(counts.accounts);
  }
  await db('wizard_sf_accounts').where('refreshed_at', '<', refreshedAt).delete();

  progress.phase('Reading contacts of flagged accounts');
  const contacts = buildSelect({ object: 'Contact', fields: contactFieldsToRead(plan), where: [soqlCondition(`Account.${plan.accountSyncFlagField}`, '=', true)], orderBy: ['Id'] });
  for await (const page of streamQuery(session, contacts)) {
    await upsertRows(db, 'wizard_sf_contacts', page.records.map((record) => contactRow(plan, record, refreshedAt)));
    counts.contacts += page.records.length;
    progress.advance(counts.contacts);
  }
  await db('wizard_sf_contacts').where('refreshed_at', '<', refreshedAt).delete();
  return counts;
}

/** When the cache was last filled (null: never). */
export async function cacheRefreshedAt(db: Db): Promise<Date | null> {
  const row = (await db('wizard_tasks').where({ kind: 'refresh', status: 'succeeded' }).orderBy('finished_at', 'desc').first('finished_at')) as { finished_at?: string } | undefined;
  return row?.finished_at ? new Date(row.finished_at) : null;
}
