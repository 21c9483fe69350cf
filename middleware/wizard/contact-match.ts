// Contacts of a linked organization/account pair, matched solely by normalized email (pure). Each entry
// carries the decision key, the default decision and the choices that make sense for it; Salesforce
// contacts without an email (or opted out) are listed as not syncable, and an email that also appears
// under another account or organization is flagged.

export const CONTACT_DECISIONS = ['link', 'create', 'dont_sync'] as const;
export type ContactDecision = (typeof CONTACT_DECISIONS)[number];
export type ContactSide = 'prm' | 'salesforce';

export type ContactEntryKind = 'match' | 'prm_only' | 'salesforce_only' | 'no_email' | 'opted_out' | 'duplicate';

export interface PrmContact {
  id: string;
  organizationId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}

export interface SfContact {
  id: string;
  accountId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  normEmail: string;
  optedOut: boolean;
}

export interface ContactEntry {
  side: ContactSide;
  /** The decision key: the PRM contact for matches and PRM-only contacts, else the Salesforce contact. */
  recordId: string;
  kind: ContactEntryKind;
  email: string | null;
  prm: { id: string; name: string; email: string | null } | null;
  sf: { id: string; name: string; email: string | null } | null;
  /** Why this contact needs a second look (same email elsewhere), or null. */
  conflict: string | null;
  /** null: not syncable, nothing to decide. */
  decision: ContactDecision | null;
  defaultDecision: ContactDecision | null;
  options: ContactDecision[];
  decidedByAdmin: boolean;
}

/** Where else an email occurs: Salesforce account names and PRM organization names, by id. */
export interface EmailElsewhere {
  salesforce: ReadonlyMap<string, ReadonlyArray<{ accountId: string; accountName: string }>>;
  prm: ReadonlyMap<string, ReadonlyArray<{ organizationId: string; organizationName: string }>>;
}

export const decisionKey = (side: ContactSide, recordId: string) => `${side}:${recordId}`;

const fullName = (first: string | null, last: string | null) => [first, last].filter(Boolean).join(' ') || '(no name)';

const OPTIONS: Record<Exclude<ContactEntryKind, 'no_email' | 'opted_out' | 'duplicate'>, ContactDecision[]> = {
  match: ['link', 'dont_sync'],
  prm_only: ['create', 'dont_sync'],
  salesforce_only: ['create', 'dont_sync'],
};
const DEFAULTS: Record<keyof typeof OPTIONS, ContactDecision> = { match: 'link', prm_only: 'create', salesforce_only: 'create' };

export interface PairInput {
  organizationId: string;
  accountId: string;
  prmContacts: readonly PrmContact[];
  sfContacts: readonly SfContact[];
  elsewhere: EmailElsewhere;
  decisions: ReadonlyMap<string, ContactDecision>;
}

function conflictOf(email: string, input: PairInput): string | null {
  const notes: string[] = [];
  const accounts = (input.elsewhere.salesforce.get(email) ?? []).filter((entry) => entry.accountId !== input.accountId);
  const organizations = (input.elsewhere.prm.get(email) ?? []).filter((entry) => entry.organizationId !== input.organizationId);
  if (accounts.length > 0) notes.push(`also in Salesforce under ${[...new Set(accounts.map((a) => a.accountName))].slice(0, 3).join(', ')}`);
  if (organizations.length > 0) notes.push(`also in the PRM under ${[...new Set(organizations.map((o) => o.organizationName))].slice(0, 3).join(', ')}`);
  return notes.length > 0 ? `Same email ${notes.join('; ')}` : null;
}

export function matchPairContacts(input: PairInput): ContactEntry[] {
  const entries: ContactEntry[] = [];
  const decide = (side: ContactSide, recordId: string, kind: keyof typeof OPTIONS) => {
    const stored = input.decisions.get(decisionKey(side, recordId));
    const options = OPTIONS[kind];
    const valid = stored !== undefined && options.includes(stored);
    return { decision: valid ? stored : DEFAULTS[kind], defaultDecision: DEFAULTS[kind], options, decidedByAdmin: valid };
  };
  const fixed = { decision: null, defaultDecision: null, options: [] as ContactDecision[], decidedByAdmin: false };

  // The first Salesforce contact per email (by id) is the one that can match; later ones are duplicates.
  const primaryByEmail = new Map<string, SfContact>();
  const sorted = [...input.sfContacts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const contact of sorted) {
    const sf = { id: contact.id, name: fullName(contact.firstName, contact.lastName), email: contact.email };
    if (contact.optedOut) {
      entries.push({ side: 'salesforce', recordId: contact.id, kind: 'opted_out', email: contact.email, prm: null, sf, conflict: null, ...fixed });
    } else if (contact.normEmail === '') {
      entries.push({ side: 'salesforce', recordId: contact.id, kind: 'no_email', email: null, prm: null, sf, conflict: null, ...fixed });
    } else if (primaryByEmail.has(contact.normEmail)) {
      entries.push({ side: 'salesforce', recordId: contact.id, kind: 'duplicate', email: contact.email, prm: null, sf, conflict: 'Same email as another Salesforce contact of this account; only one of them can sync', ...fixed });
    } else {
      primaryByEmail.set(contact.normEmail, contact);
    }
  }

  const matchedSf = new Set<string>();
  for (const contact of input.prmContacts) {
    const email = contact.email?.trim().toLowerCase() ?? '';
    const prm = { id: contact.id, name: fullName(contact.firstName, contact.lastName), email: contact.email };
    const partner = email ? primaryByEmail.get(email) : undefined;
    if (partner) {
      matchedSf.add(partner.id);
      const sf = { id: partner.id, name: fullName(partner.firstName, partner.lastName), email: partner.email };
      entries.push({ side: 'prm', recordId: contact.id, kind: 'match', email: contact.email, prm, sf, conflict: conflictOf(email, input), ...decide('prm', contact.id, 'match') });
    } else {
      entries.push({ side: 'prm', recordId: contact.id, kind: 'prm_only', email: contact.email, prm, sf: null, conflict: email ? conflictOf(email, input) : null, ...decide('prm', contact.id, 'prm_only') });
    }
  }
  for (const contact of primaryByEmail.values()) {
    if (matchedSf.has(contact.id)) continue;
    const sf = { id: contact.id, name: fullName(contact.firstName, contact.lastName), email: contact.email };
    entries.push({ side: 'salesforce', recordId: contact.id, kind: 'salesforce_only', email: contact.email, prm: null, sf, conflict: conflictOf(contact.normEmail, input), ...decide('salesforce', contact.id, 'salesforce_only') });
  }
  const order: Record<ContactEntryKind, number> = { match: 0, prm_only: 1, salesforce_only: 2, duplicate: 3, no_email: 4, opted_out: 5 };
  return entries.sort((a, b) => order[a.kind] - order[b.kind] || (a.email ?? '').localeCompare(b.email ?? ''));
}
