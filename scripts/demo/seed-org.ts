// Demo data on the Salesforce side: accounts that resemble many of the PRM's organizations (with the
// differences real CRMs have), Salesforce-only partners, unflagged customers, and opportunities to import.
import type { RunningEmulator } from '../../test/sf-emulator/index.ts';
import { PARTNER_STATUS_VALUES } from '../../middleware/salesforce/fields.ts';
import { accountVariant, createRandom, type PrmSeedData } from '../seed/prm-generator.ts';

const STATUS_VALUE: Record<string, string> = {
  'partner:active': PARTNER_STATUS_VALUES[0],
  'partner:prospective': PARTNER_STATUS_VALUES[1],
  'partner:inactive': PARTNER_STATUS_VALUES[2],
  'distributor:active': PARTNER_STATUS_VALUES[3],
  'distributor:prospective': PARTNER_STATUS_VALUES[4],
  'distributor:inactive': PARTNER_STATUS_VALUES[5],
};

export interface DemoOrgCounts {
  matchingAccounts: number;
  salesforceOnlyPartners: number;
  customers: number;
  contacts: number;
  opportunities: number;
}

export function seedDemoOrg(emulator: RunningEmulator, prm: PrmSeedData, seed = 'demo'): DemoOrgCounts {
  const random = createRandom(`${seed}:salesforce`);
  const { org } = emulator;
  const counts: DemoOrgCounts = { matchingAccounts: 0, salesforceOnlyPartners: 0, customers: 0, contacts: 0, opportunities: 0 };
  const create = (object: string, values: Record<string, unknown>) => {
    const result = org.create(object, values);
    if (!result.success) throw new Error(`Demo seed: ${object} refused: ${result.errors.map((e) => e.message).join('; ')}`);
    return result.id as string;
  };

  // Two thirds of the PRM organizations already exist in Salesforce, written differently.
  prm.organizations.forEach((organization, index) => {
    if (index % 3 === 2) return;
    const variant = accountVariant(organization, random);
    const accountId = create('Account', { ...variant, PRM_Sync__c: index % 5 !== 0, PRM_Partner_Status__c: STATUS_VALUE[`${organization.kind}:${organization.status}`] });
    counts.matchingAccounts += 1;
    const contacts = prm.contacts.filter((contact) => contact.organization_id === organization.id).slice(0, 2);
    for (const contact of contacts) {
      const contactId = create('Contact', {
        AccountId: accountId,
        FirstName: contact.first_name,
        LastName: contact.last_name,
        Email: random.chance(0.3) ? contact.email?.toUpperCase() : contact.email,
        Title: contact.title,
      });
      counts.contacts += 1;
      if (random.chance(0.4)) {
        const opportunityId = create('Opportunity', {
          AccountId: accountId,
          Name: `${variant.Name} — ${random.pick(['Renewal', 'Expansion', 'New Logo', 'Pilot'])}`,
          StageName: random.pick(['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Negotiation/Review']),
          CloseDate: `2027-0${1 + Math.floor(random.next() * 9)}-15`,
          Amount: Math.round(5_000 + random.next() * 95_000),
          PRM_Sync__c: true,
          PRM_Export_Deal__c: random.chance(0.7),
          PRM_Partner_Email__c: contact.is_user ? contact.email : null,
        });
        create('OpportunityContactRole', { OpportunityId: opportunityId, ContactId: contactId, IsPrimary: true, Role: 'Decision Maker' });
        counts.opportunities += 1;
      }
    }
  });

  // Partners only Salesforce knows (the wizard offers "Create in PRM"), one without an email contact.
  for (let i = 0; i < 6; i++) {
    const accountId = create('Account', {
      Name: `${random.pick(['Northwind', 'Bluebird', 'Cobalt', 'Summit', 'Harbor', 'Granite'])} ${random.pick(['Systems', 'Networks', 'Solutions'])} ${['Inc.', 'LLC', 'GmbH', 'Ltd'][i % 4]}`,
      PRM_Sync__c: true,
      PRM_Partner_Status__c: i % 3 === 0 ? PARTNER_STATUS_VALUES[3] : PARTNER_STATUS_VALUES[0],
      BillingCity: random.pick(['Austin', 'Leeds', 'Munich', 'Lyon']),
      Phone: `+1 512 555 01${10 + i}`,
    });
    counts.salesforceOnlyPartners += 1;
    create('Contact', { AccountId: accountId, FirstName: 'Alex', LastName: `Rivera ${i}`, Email: i === 5 ? null : `alex.rivera${i}@example.net` });
    counts.contacts += 1;
  }
  // Ordinary customers: never flagged, never synced.
  for (let i = 0; i < 8; i++) {
    create('Account', { Name: `Customer Account ${i + 1}`, BillingCity: 'Chicago' });
    counts.customers += 1;
  }
  return counts;
}
