// The sync's CRM adapter for Salesforce: SOQL pulls by SystemModstamp (queryAll, so deletions come in
// the same call), lookups by id, and writes through sObject Collections or Bulk API 2.0.
import type { ChangeQuery, CrmAdapter, CrmChangePage, CrmRecord } from '../sync/crm.ts';
import type { SalesforceSession } from './connection.ts';
import { streamQuery, SalesforceResponseError, type SfRecord } from './query.ts';
import { buildSelect, soqlCondition, soqlField, soqlIn } from './soql.ts';
import { createBulkPace } from './bulk-pace.ts';
import { updateByIds, upsertByExternalId } from './writer.ts';

const SYSTEM_FIELDS = ['Id', 'SystemModstamp', 'LastModifiedDate', 'IsDeleted'];
/** Ids per `Id IN (…)` query: keeps the URL well under Salesforce's 16,000-character limit. */
const IDS_PER_QUERY = 300;

export interface SalesforceAdapterOptions {
  bulkThreshold: number;
  bulkPollIntervalMs?: number;
}

export function createSalesforceAdapter(session: SalesforceSession, options: SalesforceAdapterOptions): CrmAdapter {
  const withSystemFields = (fields: readonly string[]) => [...new Set([...SYSTEM_FIELDS, ...fields])];
  const recordTypes = new Map<string, string | null>();
  // One pace for the session's Bulk API jobs: the accounts job of a run times the contacts job's checks.
  const bulkPace = createBulkPace();

  async function* pages(soql: string, includeDeleted: boolean): AsyncGenerator<CrmRecord[]> {
    for await (const page of streamQuery(session, soql, { includeDeleted })) yield page.records.map(toCrmRecord);
  }

  return {
    async *changedSince(query: ChangeQuery): AsyncGenerator<CrmChangePage> {
      const where = [`${soqlField(query.scopeFlagField)} = true OR ${soqlField(query.externalIdField)} != null`];
      if (query.since) where.unshift(soqlCondition('SystemModstamp', '>=', query.since));
      const soql = buildSelect({ object: query.object, fields: withSystemFields(query.fields), where, orderBy: ['SystemModstamp', 'Id'] });
      for await (const page of streamQuery(session, soql, { includeDeleted: true })) yield { records: page.records.map(toCrmRecord), serverTime: page.serverTime };
    },

    async byIds(object, ids, fields) {
      const out: CrmRecord[] = [];
      const unique = [...new Set(ids)];
      for (let start = 0; start < unique.length; start += IDS_PER_QUERY) {
        const soql = buildSelect({ object, fields: withSystemFields(fields), where: [soqlIn('Id', unique.slice(start, start + IDS_PER_QUERY))] });
        for await (const page of pages(soql, true)) out.push(...page);
      }
      return out;
    },

    async *byParentIds(object, parentField, parentIds, fields) {
      const unique = [...new Set(parentIds)];
      for (let start = 0; start < unique.length; start += IDS_PER_QUERY) {
        const soql = buildSelect({
          object,
          fields: withSystemFields(fields),
          where: [soqlIn(parentField, unique.slice(start, start + IDS_PER_QUERY))],
          orderBy: ['SystemModstamp', 'Id'],
        });
        yield* pages(soql, false);
      }
    },

    upsertByExternalId(object, externalIdField, rows, onSucceeded) {
      return upsertByExternalId(session, object, externalIdField, rows, { bulkThreshold: options.bulkThreshold, bulkPollIntervalMs: options.bulkPollIntervalMs, bulkPace, onSucceeded });
    },

    updateByIds(object, rows, onSucceeded) {
      return updateByIds(session, object, rows, { bulkThreshold: options.bulkThreshold, bulkPollIntervalMs: options.bulkPollIntervalMs, bulkPace, onSucceeded });
    },

    async recordTypeId(object, developerName) {
      const key = `${object}.${developerName}`;
      if (!recordTypes.has(key)) {
        const soql = buildSelect({
          object: 'RecordType',
          fields: ['Id'],
          where: [soqlCondition('SobjectType', '=', object), soqlCondition('DeveloperName', '=', developerName), 'IsActive = true'],
          limit: 1,
        });
        let id: string | null = null;
        for await (const page of streamQuery(session, soql)) id = (page.records[0]?.Id as string | undefined) ?? id;
        recordTypes.set(key, id);
      }
      return recordTypes.get(key) ?? null;
    },

    apiCalls: () => session.ledger.apiCalls,
    apiCallsByEndpoint: () => session.ledger.counts(),
    apiUsage: () => session.ledger.lastUsage,
  };
}

function toCrmRecord(record: SfRecord): CrmRecord {
  const id = record.Id;
  const modstamp = parseSalesforceDate(record.SystemModstamp);
  if (typeof id !== 'string' || !modstamp) {
    throw new SalesforceResponseError('Salesforce returned a record without Id or SystemModstamp; the query must select both.');
  }
  return { id, modstamp, lastModified: parseSalesforceDate(record.LastModifiedDate), isDeleted: record.IsDeleted === true, fields: flatten(record) };
}

/** `{ Account: { PRM_Sync__c: true } }` → `{ 'Account.PRM_Sync__c': true }`, attributes dropped. */
function flatten(record: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attributes') continue;
    if (value && typeof value === 'object' && !Array.isArray(value) && 'attributes' in value) Object.assign(out, flatten(value as Record<string, unknown>, `${prefix}${key}.`));
    else out[`${prefix}${key}`] = value;
  }
  return out;
}

export function parseSalesforceDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value.replace(/\+0000$/, 'Z'));
  return Number.isNaN(date.getTime()) ? null : date;
}
