// The files a user would hand to `sf data upsert bulk` for a one-off load of the PRM data: accounts by
// PRM_Id__c, and contacts pointing at their account through the `Account.PRM_Id__c` relationship column.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../middleware/db/knex.ts';

const ACCOUNT_COLUMNS = ['PRM_Id__c', 'Name', 'Website', 'Phone', 'BillingStreet', 'BillingCity', 'BillingState', 'BillingPostalCode', 'BillingCountry', 'PRM_Sync__c'];
const CONTACT_COLUMNS = ['PRM_Id__c', 'FirstName', 'LastName', 'Email', 'Phone', 'Title', 'Account.PRM_Id__c'];

export async function exportCsv(db: Db, directory: string): Promise<{ accounts: string; contacts: string; accountRows: number; contactRows: number }> {
  const organizations = await db('organizations').whereNull('deleted_at').orderBy('id');
  const contacts = await db('contacts').whereNull('deleted_at').orderBy(['organization_id', 'id']);
  const accountRows = organizations.map((o) => [o.id, o.name, o.website, o.phone, o.billing_street, o.billing_city, o.billing_state, o.billing_postal_code, o.billing_country, 'true']);
  const contactRows = contacts.map((c) => [c.id, c.first_name, c.last_name, c.email, c.phone, c.title, c.organization_id]);
  const accounts = path.join(directory, 'accounts.csv');
  const contactsFile = path.join(directory, 'contacts.csv');
  writeFileSync(accounts, stringify(accountRows.map((row) => row.map(cell)), { header: true, columns: ACCOUNT_COLUMNS, record_delimiter: 'unix' }));
  writeFileSync(contactsFile, stringify(contactRows.map((row) => row.map(cell)), { header: true, columns: CONTACT_COLUMNS, record_delimiter: 'unix' }));
  return { accounts, contacts: contactsFile, accountRows: accountRows.length, contactRows: contactRows.length };
}

function cell(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}
