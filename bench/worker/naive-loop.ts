// The baseline a user would otherwise write: a quick script that walks the PRM records and, for each,
// asks Salesforce whether it exists (one query by PRM_Id__c) and then creates or updates it (one write),
// through jsforce. Accounts first, then their contacts. Two API calls per record, whatever the volume.
import jsforce from 'jsforce';
import { SALESFORCE_API_VERSION } from '../../middleware/salesforce/api-version.ts';
import type { NaiveLoopResult } from './protocol.ts';
import { databaseOf, salesforceOf, type WorkerState } from './state.ts';

type Row = Record<string, unknown> & { id: string };

export async function naiveLoop(state: WorkerState, accounts: number): Promise<NaiveLoopResult> {
  const db = databaseOf(state);
  const { url, accessToken } = salesforceOf(state);
  const conn = new jsforce.Connection({ instanceUrl: url, accessToken, version: SALESFORCE_API_VERSION });
  const organizations: Row[] = await db('organizations').whereNull('deleted_at').orderBy('id').limit(accounts);
  const contacts: Row[] = await db('contacts').whereIn('organization_id', organizations.map((o) => o.id)).whereNull('deleted_at').orderBy(['organization_id', 'id']);
  const result: NaiveLoopResult = { accounts: 0, contacts: 0, queries: 0, writes: 0 };
  const accountIds = new Map<string, string>();

  const upsert = async (object: 'Account' | 'Contact', prmId: string, values: Record<string, unknown>): Promise<string> => {
    // The ids are our own UUIDs, so inlining them is safe here; a real script would escape them.
    const found = await conn.query<{ Id: string }>(`SELECT Id FROM ${object} WHERE PRM_Id__c = '${prmId}' LIMIT 1`);
    result.queries += 1;
    const existing = found.records[0]?.Id;
    result.writes += 1;
    if (existing) {
      await conn.sobject(object).update({ Id: existing, ...values });
      return existing;
    }
    const created = await conn.sobject(object).create({ ...values, PRM_Id__c: prmId });
    if (!created.success || !created.id) throw new Error(`${object} ${prmId} was refused: ${JSON.stringify(created)}`);
    return created.id;
  };

  for (const organization of organizations) {
    const id = await upsert('Account', organization.id, {
      Name: organization.name,
      Website: organization.website,
      Phone: organization.phone,
      BillingStreet: organization.billing_street,
      BillingCity: organization.billing_city,
      BillingState: organization.billing_state,
      BillingPostalCode: organization.billing_postal_code,
      BillingCountry: organization.billing_country,
      PRM_Sync__c: true,
    });
    accountIds.set(organization.id, id);
    result.accounts += 1;
  }
  for (const contact of contacts) {
    await upsert('Contact', contact.id, {
      FirstName: contact.first_name,
      LastName: contact.last_name,
      Email: contact.email,
      Phone: contact.phone,
      Title: contact.title,
      AccountId: accountIds.get(String(contact.organization_id)),
    });
    result.contacts += 1;
  }
  return result;
}
