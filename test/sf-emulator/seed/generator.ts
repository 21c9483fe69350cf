// Deterministic seed data (same seed, same org): accounts with legal-suffixed names, addresses in several
// countries, phones and websites, some flagged for PRM sync with a partner status; contacts (some
// without email, some sharing an email with a contact of another account); opportunities with contact
// roles (some primary). Rows are written directly, like a data load, so 300k accounts take seconds.
import { pick, seededRandom, type Random } from '../core/rng.ts';
import type { FieldInfo } from '../schema/field-describe.ts';
import { applyDerivedFields } from '../store/derived.ts';
import type { Org } from '../store/org.ts';
import type { Table } from '../store/table.ts';
import { COMPANY_NOUNS, COMPANY_WORDS, DEAL_KINDS, DE_STREETS, FIRST_NAMES, FR_STREETS, LAST_NAMES, LEGAL_SUFFIXES, places, STREET_NAMES, STREET_TYPES, TITLES, UK_STREETS, type Place } from './names.ts';

export interface SeedOptions {
  seed: string | number;
  /** Number of accounts; contacts ≈ 1.5×, opportunities ≈ 0.4× with 1–2 contact roles each. */
  size: number;
  ownerIds: string[];
  /** Seeded stamps spread over the year before this instant. */
  until: number;
}

export interface SeedCounts {
  Account: number;
  Contact: number;
  Opportunity: number;
  OpportunityContactRole: number;
}

const YEAR_MS = 365 * 86_400_000;

function picklist(field: FieldInfo | undefined): string[] {
  return field?.picklist ? [...field.picklist.values] : [];
}

const slugs = new Map<string, string>();

/** `Müller` → `muller` (cached: the inputs come from short word lists). */
function slug(text: string): string {
  let out = slugs.get(text);
  if (out === undefined) {
    out = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '');
    slugs.set(text, out);
  }
  return out;
}

function digits(random: Random, n: number): string {
  return String(Math.floor(random() * 10 ** n)).padStart(n, '0');
}

function phone(random: Random, place: Place): string {
  if (place.phonePrefix === '+1') {
    const area = 200 + Math.floor(random() * 800);
    const line = digits(random, 4);
    switch (Math.floor(random() * 4)) {
      case 0: return `(${area}) 555-${line}`;
      case 1: return `+1 ${area} 555 ${line}`;
      case 2: return `${area}-555-${line}`;
      default: return `${area}.555.${line}`;
    }
  }
  switch (Math.floor(random() * 3)) {
    case 0: return `${place.phonePrefix} ${digits(random, 2)} ${digits(random, 4)} ${digits(random, 4)}`;
    case 1: return `${place.phonePrefix}${digits(random, 10)}`;
    default: return `0${digits(random, 2)} ${digits(random, 3)} ${digits(random, 4)}`;
  }
}

function website(random: Random, domain: string): string {
  switch (Math.floor(random() * 4)) {
    case 0: return `www.${domain}`;
    case 1: return `https://www.${domain}`;
    case 2: return `http://${domain}`;
    default: return domain;
  }
}

function street(random: Random, place: Place): string {
  const n = 1 + Math.floor(random() * 9_000);
  if (place.street === 'de') return `${pick(random, DE_STREETS)} ${n % 200}`;
  if (place.street === 'fr') return `${n % 150} ${pick(random, FR_STREETS)}`;
  if (place.street === 'uk') return `${n % 300} ${pick(random, UK_STREETS)}`;
  return `${n} ${pick(random, STREET_NAMES)} ${pick(random, STREET_TYPES)}`;
}

export function seedData(org: Org, options: SeedOptions): SeedCounts {
  const random = seededRandom(options.seed);
  const store = org.store;
  const accounts = store.table('Account') as Table;
  const contacts = store.table('Contact') as Table;
  const opportunities = store.table('Opportunity') as Table;
  const roles = store.table('OpportunityContactRole') as Table;
  const size = Math.max(0, Math.floor(options.size));
  const planned = Math.max(1, Math.round(size * 3));
  const step = Math.max(1, Math.floor(YEAR_MS / planned));
  let stamp = options.until - YEAR_MS;
  const nextStamp = () => (stamp += 1 + Math.floor(random() * step));
  const allPlaces = places(random);
  const owners = options.ownerIds;
  const counts: SeedCounts = { Account: 0, Contact: 0, Opportunity: 0, OpportunityContactRole: 0 };

  const accountSchema = accounts.schema;
  const hasSync = Boolean(accountSchema.field('PRM_Sync__c'));
  const hasStatus = Boolean(accountSchema.field('PRM_Partner_Status__c'));
  const contactSync = Boolean(contacts.schema.field('PRM_Sync__c'));
  const statuses = picklist(accountSchema.field('PRM_Partner_Status__c'));
  const industries = picklist(accountSchema.field('Industry'));
  const types = picklist(accountSchema.field('Type'));
  const recordTypeFor = (status: string) => accountSchema.recordTypes.find((rt) => !rt.master && rt.developerName === (status.startsWith('Distributor') ? 'Distributor_Account' : 'Partner_Account'))?.recordTypeId;
  const stages = picklist(opportunities.schema.field('StageName'));
  const oppSync = Boolean(opportunities.schema.field('PRM_Sync__c'));
  const oppExport = Boolean(opportunities.schema.field('PRM_Export_Deal__c'));
  const oppPartnerEmail = Boolean(opportunities.schema.field('PRM_Partner_Email__c'));
  const roleNames = picklist(roles.schema.field('Role'));
  const usedEmails: string[] = [];

  const system = (row: Record<string, unknown>, owner: string): Record<string, unknown> => {
    const modstamp = nextStamp();
    const created = random() < 0.3 ? modstamp - Math.floor(random() * 30) * 86_400_000 : modstamp;
    row.IsDeleted = false;
    row.CreatedDate = created;
    row.CreatedById = owner;
    row.LastModifiedDate = modstamp;
    row.LastModifiedById = owner;
    row.SystemModstamp = modstamp;
    return row;
  };

  for (let a = 0; a < size; a++) {
    const owner = pick(random, owners);
    const place = pick(random, allPlaces);
    const word = pick(random, COMPANY_WORDS);
    const noun = pick(random, COMPANY_NOUNS);
    const base = random() < 0.3 ? `${word} ${pick(random, COMPANY_WORDS)} ${noun}` : `${word} ${noun}`;
    const name = random() < 0.85 ? `${base} ${pick(random, LEGAL_SUFFIXES)}` : base;
    const domain = `${slug(word)}${slug(noun)}${a % 7 === 0 ? '' : a % 97}.${place.country === 'Germany' ? 'de' : place.country === 'France' ? 'fr' : place.country === 'United Kingdom' ? 'co.uk' : 'com'}`;
    const accountId = store.ids.next('001');
    // Every row gets the same keys in the same order (nulls included) so V8 shares one object shape.
    const flagged = hasSync && random() < 0.25;
    const status = flagged && statuses.length > 0 ? pick(random, statuses) : null;
    const row: Record<string, unknown> = {
      Id: accountId, Name: name, OwnerId: owner, RecordTypeId: status ? (recordTypeFor(status) ?? null) : null, BillingStreet: street(random, place), BillingCity: place.city,
      BillingState: place.state, BillingPostalCode: place.postal(), BillingCountry: place.country, Phone: random() < 0.9 ? phone(random, place) : null,
      Website: random() < 0.8 ? website(random, domain) : null,
      Industry: industries.length > 0 && random() < 0.7 ? pick(random, industries) : null, Type: types.length > 0 && random() < 0.6 ? pick(random, types) : null,
      NumberOfEmployees: random() < 0.6 ? 1 + Math.floor(random() ** 3 * 20_000) : null,
    };
    if (hasSync) row.PRM_Sync__c = flagged;
    if (hasStatus) row.PRM_Partner_Status__c = status;
    store.write(accounts, system(row, owner));
    counts.Account++;

    const contactIds: string[] = [];
    const emails: string[] = [];
    const contactCount = Math.floor(random() * 4); // 0–3, 1.5 on average
    for (let c = 0; c < contactCount; c++) {
      const first = pick(random, FIRST_NAMES);
      const last = pick(random, LAST_NAMES);
      const contactId = store.ids.next('003');
      let email: string | undefined;
      const roll = random();
      if (roll < 0.02 && usedEmails.length > 0) email = pick(random, usedEmails); // the same person at another account
      else if (roll < 0.9) email = `${slug(first)}.${slug(last)}${c > 0 ? c : ''}@${domain}`;
      const contact: Record<string, unknown> = {
        Id: contactId, AccountId: accountId, FirstName: first, LastName: last, Name: null, OwnerId: owner, Email: email ?? null,
        Title: random() < 0.6 ? pick(random, TITLES) : null,
        Phone: random() < 0.5 ? phone(random, place) : null, MailingCity: place.city, MailingCountry: place.country,
      };
      if (email) {
        emails.push(email);
        if (usedEmails.length < 5_000) usedEmails.push(email);
      }
      if (contactSync) contact.PRM_Sync__c = flagged;
      applyDerivedFields('Contact', contact, contact);
      store.write(contacts, system(contact, owner));
      contactIds.push(contactId);
      counts.Contact++;
    }

    if (random() < 0.4) {
      const opportunityId = store.ids.next('006');
      const stage = stages.length > 0 ? pick(random, stages) : 'Prospecting';
      const closeDate = new Date(options.until + Math.floor((random() - 0.5) * 300) * 86_400_000).toISOString().slice(0, 10);
      const syncs = oppSync && flagged && random() < 0.6;
      const opp: Record<string, unknown> = { Id: opportunityId, AccountId: accountId, Name: `${base} - ${pick(random, DEAL_KINDS)}`, StageName: stage, CloseDate: closeDate, Amount: Math.round(random() * 500) * 1000, OwnerId: owner };
      if (oppSync) opp.PRM_Sync__c = syncs;
      if (oppExport) opp.PRM_Export_Deal__c = syncs && random() < 0.6;
      if (oppPartnerEmail) opp.PRM_Partner_Email__c = syncs && emails.length > 0 && random() < 0.7 ? pick(random, emails) : null;
      applyDerivedFields('Opportunity', opp, opp);
      store.write(opportunities, system(opp, owner));
      counts.Opportunity++;
      const roleCount = Math.min(contactIds.length, 1 + Math.floor(random() * 2));
      for (let r = 0; r < roleCount; r++) {
        const role: Record<string, unknown> = { Id: store.ids.next('00K'), OpportunityId: opportunityId, ContactId: contactIds[r], IsPrimary: r === 0 && random() < 0.8, Role: roleNames.length > 0 ? pick(random, roleNames) : null };
        store.write(roles, system(role, owner));
        counts.OpportunityContactRole++;
      }
    }
  }
  store.clock.observe(stamp);
  return counts;
}
