// Realistic PRM seed data, generated deterministically from a seed: partner and distributor
// organizations (legal suffixes, local addresses and phone formats, websites), their contacts, some of
// them users, and groups granting deal registration. A pure function: the seed command, the demo and the
// benchmarks all build the same data from the same seed. `accountVariant` derives a Salesforce-side
// copy of an organization with the variations real CRMs show, for matching demos and tests.
import type { GroupModule, OrganizationKind, OrganizationStatus } from '../../middleware/db/tables.ts';
import { createRandom, type Random } from './random.ts';
import { countries, DISTRIBUTOR_WORDS, FIRST_NAMES, NAME_FIRST, NAME_SECOND, SURNAMES, TITLES, type CountryProfile } from './vocabulary.ts';

export interface SeedOrganization {
  id: string;
  kind: OrganizationKind;
  status: OrganizationStatus;
  name: string;
  website: string | null;
  phone: string | null;
  billing_street: string | null;
  billing_city: string | null;
  billing_state: string | null;
  billing_postal_code: string | null;
  billing_country: string | null;
  custom: Record<string, string | number | boolean>;
}

export interface SeedContact {
  id: string;
  organization_id: string;
  first_name: string | null;
  last_name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  is_user: boolean;
  user_active: boolean;
}

export interface SeedGroup {
  id: string;
  name: string;
  kind: OrganizationKind;
  modules: GroupModule[];
}

export interface PrmSeedData {
  organizations: SeedOrganization[];
  contacts: SeedContact[];
  groups: SeedGroup[];
  memberships: Array<{ group_id: string; contact_id: string }>;
}

export interface PrmSeedOptions {
  /** Number of organizations; contacts come to about three per organization. */
  size: number;
  seed?: string | number;
  /** Share of distributors among organizations (default 0.15). */
  distributorShare?: number;
}

const GROUPS: ReadonlyArray<Omit<SeedGroup, 'id'> & { share: number }> = [
  { name: 'Partners – Deal Registration', kind: 'partner', modules: ['deal_registration', 'training'], share: 0.8 },
  { name: 'Partners – Marketing Funds', kind: 'partner', modules: ['market_development_funds'], share: 0.25 },
  { name: 'Distributors – Deal Registration', kind: 'distributor', modules: ['deal_registration', 'lead_distribution'], share: 0.85 },
  { name: 'Distributors – Training', kind: 'distributor', modules: ['training'], share: 0.3 },
];

export function generatePrmData(options: PrmSeedOptions): PrmSeedData {
  if (!Number.isInteger(options.size) || options.size < 0) throw new Error(`size must be a whole number ≥ 0; got ${options.size}`);
  const random = createRandom(options.seed ?? 'prm-sync');
  const profiles = countries(() => random.next());
  const usedNames = new Set<string>();
  const data: PrmSeedData = { organizations: [], contacts: [], groups: GROUPS.map(({ share: _share, ...group }) => ({ ...group, id: random.uuid() })), memberships: [] };

  for (let i = 0; i < options.size; i++) {
    const kind: OrganizationKind = random.chance(options.distributorShare ?? 0.15) ? 'distributor' : 'partner';
    const organization = generateOrganization(random, weightedPick(random, profiles), kind, usedNames);
    data.organizations.push(organization);
    const contacts = generateContacts(random, organization);
    data.contacts.push(...contacts);
    for (const contact of contacts.filter((c) => c.is_user)) {
      GROUPS.forEach((group, index) => {
        if (group.kind === kind && random.chance(group.share)) data.memberships.push({ group_id: (data.groups[index] as SeedGroup).id, contact_id: contact.id });
      });
    }
  }
  return data;
}

function weightedPick(random: Random, profiles: readonly CountryProfile[]): CountryProfile {
  const total = profiles.reduce((sum, profile) => sum + profile.weight, 0);
  let roll = random.next() * total;
  for (const profile of profiles) {
    roll -= profile.weight;
    if (roll < 0) return profile;
  }
  return profiles[0] as CountryProfile;
}

function companyStem(random: Random, kind: OrganizationKind): string {
  const second = kind === 'distributor' && random.chance(0.6) ? random.pick(DISTRIBUTOR_WORDS) : random.pick(NAME_SECOND);
  switch (random.int(0, 4)) {
    case 0:
      return `${random.pick(SURNAMES)} & ${random.pick(SURNAMES)}`;
    case 1:
      return `${random.pick(SURNAMES)} ${second}`;
    default:
      return `${random.pick(NAME_FIRST)} ${second}`;
  }
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 40);
}

function generateOrganization(random: Random, profile: CountryProfile, kind: OrganizationKind, usedNames: Set<string>): SeedOrganization {
  let stem = companyStem(random, kind);
  for (let attempt = 0; usedNames.has(stem) && attempt < 5; attempt++) stem = companyStem(random, kind);
  if (usedNames.has(stem)) stem = `${stem} ${random.pick(profile.cities).city}`;
  usedNames.add(stem);
  const place = random.pick(profile.cities);
  const statusRoll = random.next();
  const status: OrganizationStatus = statusRoll < 0.75 ? 'active' : statusRoll < 0.9 ? 'prospective' : 'inactive';
  const tiers = kind === 'partner' ? ['Registered', 'Silver', 'Gold', 'Platinum'] : ['Authorized', 'Premier'];
  return {
    id: random.uuid(),
    kind,
    status,
    name: `${stem} ${random.pick(profile.suffixes)}`,
    website: random.chance(0.92) ? `${random.chance(0.7) ? 'https://www.' : 'www.'}${slug(stem)}.${profile.tld}` : null,
    phone: random.chance(0.9) ? profile.phone() : null,
    billing_street: random.chance(0.95) ? profile.street(random.int(1, 2400), random.pick(profile.streets)) : null,
    billing_city: place.city,
    billing_state: place.state,
    billing_postal_code: place.postal(),
    billing_country: profile.country,
    custom: { tier: random.pick(tiers), partner_since: random.int(2008, 2026) },
  };
}

function emailDomain(organization: SeedOrganization): string {
  const fromWebsite = organization.website?.replace(/^https?:\/\//, '').replace(/^www\./, '');
  return fromWebsite ?? `${slug(organization.name)}.example`;
}

function emailLocal(first: string, last: string): string {
  const clean = (text: string) => slug(text).replace(/[^a-z]/g, '');
  return `${clean(first)}.${clean(last)}`;
}

function generateContacts(random: Random, organization: SeedOrganization): SeedContact[] {
  const count = random.int(1, 5);
  const usedEmails = new Set<string>();
  const contacts: SeedContact[] = [];
  for (let i = 0; i < count; i++) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(SURNAMES);
    let email: string | null = null;
    if (random.chance(0.93)) {
      const local = emailLocal(first, last);
      email = `${local}@${emailDomain(organization)}`;
      for (let n = 2; usedEmails.has(email); n++) email = `${local}${n}@${emailDomain(organization)}`;
      usedEmails.add(email);
    }
    const isUser = email !== null && random.chance(0.6);
    contacts.push({
      id: random.uuid(),
      organization_id: organization.id,
      first_name: random.chance(0.97) ? first : null,
      last_name: last,
      email,
      phone: random.chance(0.6) ? (organization.phone ? organization.phone.replace(/\d{2}$/, String(random.int(10, 99))) : null) : null,
      title: random.chance(0.85) ? random.pick(TITLES) : null,
      is_user: isUser,
      user_active: isUser && random.chance(0.9),
    });
  }
  return contacts;
}

/** A Salesforce Account-like copy of an organization, with the differences real data has. */
export interface AccountVariant {
  Name: string;
  Website: string | null;
  Phone: string | null;
  BillingStreet: string | null;
  BillingCity: string | null;
  BillingState: string | null;
  BillingPostalCode: string | null;
  BillingCountry: string | null;
}

const STREET_ABBREVIATIONS: ReadonlyArray<[RegExp, string]> = [
  [/\bStreet\b/, 'St.'],
  [/\bAvenue\b/, 'Ave'],
  [/\bBoulevard\b/, 'Blvd'],
  [/\bDrive\b/, 'Dr.'],
  [/\bRoad\b/, 'Rd'],
  [/straße\b/, 'str.'],
];

/**
 * The organization as a CRM might hold it: legal suffix dropped or changed, `&` spelled out, case or
 * punctuation changed, a street abbreviated, the phone's formatting or the website's scheme different.
 * Deterministic for a given random source.
 */
export function accountVariant(organization: SeedOrganization, random: Random): AccountVariant {
  let name = organization.name;
  const roll = random.next();
  if (roll < 0.3) name = name.replace(/\s+(Inc\.?|LLC|L\.L\.C\.|Corp\.?|Corporation|Co\.|Ltd\.?|Limited|PLC|LLP|GmbH( & Co\. KG)?|AG|KG|UG|SARL|SAS|S\.A\.|SA|B\.V\.|BV|N\.V\.|ULC)$/, '');
  else if (roll < 0.45) name = name.replace(' & ', ' and ');
  else if (roll < 0.55) name = name.toUpperCase();
  else if (roll < 0.65) name = name.replace(/\bInc\.?$/, 'Incorporated').replace(/\bLtd\.?$/, 'Limited').replace(/\bCorp\.?$/, 'Corporation');
  else if (roll < 0.72) name = name.replace(/(\w)(\w)$/, '$2$1'); // a typo

  let street = organization.billing_street;
  if (street && random.chance(0.4)) {
    for (const [pattern, short] of STREET_ABBREVIATIONS) street = street.replace(pattern, short);
  }
  const phone = organization.phone && random.chance(0.5) ? organization.phone.replace(/[^\d+]/g, '') : organization.phone;
  const website = organization.website && random.chance(0.5) ? organization.website.replace(/^https?:\/\//, '').replace(/^www\./, '') : organization.website;
  return {
    Name: name,
    Website: random.chance(0.1) ? null : website,
    Phone: random.chance(0.1) ? null : phone,
    BillingStreet: street,
    BillingCity: random.chance(0.05) ? (organization.billing_city?.toUpperCase() ?? null) : organization.billing_city,
    BillingState: organization.billing_state,
    BillingPostalCode: random.chance(0.1) ? null : organization.billing_postal_code,
    BillingCountry: organization.billing_country,
  };
}

export { createRandom };
