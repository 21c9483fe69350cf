// Salesforce as the console pages need it: a session on the stored (or environment) connection, kept for
// a few minutes so page views do not log in every time; describes cached briefly ("Refresh" bypasses the
// cache); the connection test; record reads; and the Tooling API call behind "New Field".
import type { Config } from '../config.ts';
import type { ConnectionStore } from '../auth/salesforce-connection.ts';
import { connectSalesforce, restBase, type SalesforceSession } from '../salesforce/connection.ts';
import { queryAllRecords, type SfRecord } from '../salesforce/query.ts';
import { buildSelect, soqlContains, soqlIn } from '../salesforce/soql.ts';
import type { DescribeSource, SObjectDescribe } from '../settings/describe.ts';
import { NotConnectedError } from '../sync/service.ts';

const SESSION_TTL_MS = 10 * 60_000;
const DESCRIBE_TTL_MS = 5 * 60_000;

export interface ConnectionTest {
  orgId: string;
  userId: string;
  username: string;
  instanceUrl: string;
  apiVersion: string;
  latestApiVersion: string | null;
  apiUsage: { used: number; max: number } | null;
}

export interface NewCustomField {
  object: 'Account' | 'Contact' | 'Opportunity';
  /** API name without the __c suffix, e.g. PRM_Region. */
  name: string;
  label: string;
  type: 'Text' | 'Number' | 'Checkbox' | 'Date' | 'DateTime' | 'Email' | 'Phone' | 'Url' | 'Picklist' | 'TextArea';
  length?: number;
  picklistValues?: string[];
  description?: string;
}

export function createSalesforceAccess(store: ConnectionStore, config: Config) {
  let cached: { session: SalesforceSession; at: number } | null = null;
  const describes = new Map<string, { describe: SObjectDescribe; at: number }>();

  async function session(): Promise<SalesforceSession> {
    if (cached && Date.now() - cached.at < SESSION_TTL_MS) return cached.session;
    const credentials = await store.credentials();
    if (!credentials) throw new NotConnectedError();
    const opened = await connectSalesforce(credentials, { apiVersion: config.salesforce?.apiVersion });
    cached = { session: opened, at: Date.now() };
    return opened;
  }

  async function describe(objectName: string, fresh = false): Promise<SObjectDescribe> {
    const hit = describes.get(objectName);
    if (!fresh && hit && Date.now() - hit.at < DESCRIBE_TTL_MS) return hit.describe;
    const s = await session();
    const result = (await s.conn.sobject(objectName).describe()) as unknown as SObjectDescribe;
    describes.set(objectName, { describe: result, at: Date.now() });
    return result;
  }

  return {
    session,
    describe,

    /** Live describes for validating a save (never cached: the admin may just have changed the org). */
    freshDescribeSource(): DescribeSource {
      return { describe: (objectName) => describe(objectName, true) };
    },

    /** Forget the session and describes: after connect, disconnect, "Refresh" or a new field. */
    reset(): void {
      cached = null;
      describes.clear();
    },

    async isConfigured(): Promise<boolean> {
      return (await store.credentials()) !== null;
    },

    async testConnection(): Promise<ConnectionTest> {
      cached = null;
      const s = await session();
      const info = (await s.conn.request(`/services/oauth2/userinfo`)) as Record<string, unknown>;
      const limits = (await s.conn.request(`${restBase(s)}/limits`)) as Record<string, { Max?: number; Remaining?: number }>;
      const versions = (await s.conn.request('/services/data')) as Array<{ version: string }>;
      const daily = limits.DailyApiRequests;
      const headerUsage = s.ledger.lastUsage;
      return {
        orgId: String(info.organization_id ?? ''),
        userId: String(info.user_id ?? ''),
        username: String(info.preferred_username ?? ''),
        instanceUrl: s.conn.instanceUrl,
        apiVersion: s.apiVersion,
        latestApiVersion: Array.isArray(versions) && versions.length > 0 ? String(versions.at(-1)?.version) : null,
        apiUsage: daily?.Max !== undefined && daily.Remaining !== undefined ? { used: daily.Max - daily.Remaining, max: daily.Max } : headerUsage ? { used: headerUsage.used, max: headerUsage.limit } : null,
      };
    },

    /** One record's values of the given fields, or undefined when it does not exist (or is deleted). */
    async record(objectName: string, id: string, fields: readonly string[]): Promise<SfRecord | undefined> {
      const s = await session();
      const soql = buildSelect({ object: objectName, fields: ['Id', ...fields], where: [soqlIn('Id', [id])] });
      const [row] = await queryAllRecords(s, soql);
      return row;
    },

    /** Up to 20 records whose name contains `term`, for relinking. */
    async search(objectName: 'Account' | 'Contact', term: string): Promise<Array<{ id: string; name: string; detail: string }>> {
      const s = await session();
      const detailField = objectName === 'Account' ? 'BillingCity' : 'Email';
      const soql = buildSelect({ object: objectName, fields: ['Id', 'Name', detailField], where: [soqlContains('Name', term)], orderBy: ['Name'], limit: 20 });
      const rows = await queryAllRecords(s, soql);
      return rows.map((row) => ({ id: String(row.Id), name: String(row.Name ?? ''), detail: String(row[detailField] ?? '') }));
    },

    /** Creates a custom field through the Tooling API; it appears in describe right away. */
    async createCustomField(field: NewCustomField): Promise<{ id: string; apiName: string }> {
      const s = await session();
      const apiName = `${field.name}__c`;
      const metadata: Record<string, unknown> = { label: field.label, type: field.type };
      if (field.description) metadata.description = field.description;
      if (field.type === 'Text') metadata.length = field.length ?? 255;
      if (field.type === 'Number') Object.assign(metadata, { precision: 18, scale: 2 });
      if (field.type === 'Checkbox') metadata.defaultValue = 'false';
      if (field.type === 'Picklist') {
        metadata.valueSet = { restricted: true, valueSetDefinition: { sorted: false, value: (field.picklistValues ?? []).map((value) => ({ fullName: value, label: value, default: false })) } };
      }
      const result = (await s.conn.request({
        method: 'POST',
        url: `${restBase(s)}/tooling/sobjects/CustomField`,
        body: JSON.stringify({ FullName: `${field.object}.${apiName}`, Metadata: metadata }),
        headers: { 'content-type': 'application/json' },
      })) as { id?: string };
      describes.delete(field.object);
      return { id: String(result.id ?? ''), apiName };
    },

    /** Salesforce Lightning URL of a record, for "View in Salesforce". */
    async recordUrl(objectName: string, id: string): Promise<string | null> {
      const connection = await store.connection();
      const base = connection?.instanceUrl ?? (cached ? cached.session.conn.instanceUrl : null);
      return base ? `${base.replace(/\/+$/, '')}/lightning/r/${objectName}/${id}/view` : null;
    },
  };
}

export type SalesforceAccess = ReturnType<typeof createSalesforceAccess>;
