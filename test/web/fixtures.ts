// PRM rows for console tests: an organization with a contact and a deal, inserted like the REST API would.
import type { Knex } from 'knex';

export interface PrmSample {
  organizationId: string;
  contactId: string;
  dealId: string;
}

export async function insertPrmSample(db: Knex, name = 'Acme Partners'): Promise<PrmSample> {
  const [organization] = (await db('organizations').insert({ kind: 'partner', status: 'active', name, billing_city: 'Berlin' }).returning('id')) as Array<{ id: string }>;
  const organizationId = organization?.id as string;
  const [contact] = (await db('contacts').insert({ organization_id: organizationId, first_name: 'Jo', last_name: 'Doe', email: `jo.${organizationId.slice(0, 8)}@acme.example`, is_user: true, user_active: true }).returning('id')) as Array<{ id: string }>;
  const contactId = contact?.id as string;
  const [deal] = (await db('deal_registrations').insert({ organization_id: organizationId, owner_contact_id: contactId, name: `${name} deal`, stage: 'Prospecting', amount: 1250 }).returning('id')) as Array<{ id: string }>;
  return { organizationId, contactId, dealId: deal?.id as string };
}
