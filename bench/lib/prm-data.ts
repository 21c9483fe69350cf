// The benchmark's data: realistic PRM organizations from the project's seed generator
// (scripts/seed/prm-generator.ts), reshaped to exactly two contacts each, every one with an email, so
// that "N accounts" always means N accounts and 2N contacts. Generated in chunks with a seed per chunk, so
// 300k organizations never sit in memory at once and the same (size, seed) always gives the same rows.
import { DEFAULT_STATUS_VALUES } from '../../middleware/sync/plan.ts';
import { createRandom, generatePrmData, type SeedContact, type SeedOrganization } from '../../scripts/seed/prm-generator.ts';

export const CONTACTS_PER_ACCOUNT = 2;
const CHUNK = 10_000;

export interface BenchChunk {
  organizations: SeedOrganization[];
  contacts: SeedContact[];
}

/** The organizations and contacts of a benchmark data set, chunk by chunk. */
export function* benchChunks(accounts: number, seed: string): Generator<BenchChunk> {
  if (!Number.isInteger(accounts) || accounts < 0) throw new RangeError(`accounts must be a whole number ≥ 0, got ${accounts}`);
  for (let start = 0, index = 0; start < accounts; start += CHUNK, index++) {
    const size = Math.min(CHUNK, accounts - start);
    const data = generatePrmData({ size, seed: `${seed}:${index}` });
    yield { organizations: data.organizations, contacts: twoContactsEach(data.organizations, data.contacts) };
  }
}

/** Keeps two contacts per organization (deriving a second where the generator made one), all with emails. */
export function twoContactsEach(organizations: readonly SeedOrganization[], contacts: readonly SeedContact[]): SeedContact[] {
  const byOrganization = new Map<string, SeedContact[]>();
  for (const contact of contacts) {
    const list = byOrganization.get(contact.organization_id);
    if (list) list.push(contact);
    else byOrganization.set(contact.organization_id, [contact]);
  }
  const out: SeedContact[] = [];
  for (const organization of organizations) {
    const own = (byOrganization.get(organization.id) ?? []).slice(0, CONTACTS_PER_ACCOUNT);
    const domain = emailDomain(organization);
    const used = new Set(own.map((c) => c.email?.toLowerCase()).filter((e): e is string => Boolean(e)));
    for (let n = 0; own.length < CONTACTS_PER_ACCOUNT; n++) {
      const template = own[0];
      own.push({
        id: derivedUuid(organization.id, n),
        organization_id: organization.id,
        first_name: 'Alex',
        last_name: template ? `${template.last_name}-Office` : 'Office',
        email: null,
        phone: organization.phone,
        title: 'Partner Manager',
        is_user: false,
        user_active: false,
      });
    }
    own.forEach((contact, index) => {
      if (contact.email) return;
      let email = `contact${index + 1}@${domain}`;
      for (let k = 2; used.has(email); k++) email = `contact${index + 1}.${k}@${domain}`;
      used.add(email);
      own[index] = { ...contact, email };
    });
    out.push(...own);
  }
  return out;
}

function emailDomain(organization: SeedOrganization): string {
  const fromWebsite = organization.website?.replace(/^https?:\/\//, '').replace(/^www\./, '');
  return fromWebsite || `org-${organization.id.slice(0, 8)}.example`;
}

/** A stable id for a derived contact (the generator's own ids are deterministic too). */
function derivedUuid(organizationId: string, n: number): string {
  return createRandom(`${organizationId}:contact:${n}`).uuid();
}

/** The Account a Salesforce admin would have for this organization, flagged for sync. */
export function accountFields(organization: SeedOrganization): Record<string, unknown> {
  return {
    Name: organization.name,
    Website: organization.website,
    Phone: organization.phone,
    BillingStreet: organization.billing_street,
    BillingCity: organization.billing_city,
    BillingState: organization.billing_state,
    BillingPostalCode: organization.billing_postal_code,
    BillingCountry: organization.billing_country,
    PRM_Sync__c: true,
    PRM_Partner_Status__c: DEFAULT_STATUS_VALUES[`${organization.kind}:${organization.status}`],
  };
}

export function contactFields(contact: SeedContact, accountId: string): Record<string, unknown> {
  return {
    FirstName: contact.first_name,
    LastName: contact.last_name,
    Email: contact.email,
    Phone: contact.phone,
    Title: contact.title,
    AccountId: accountId,
    PRM_Sync__c: true,
  };
}
