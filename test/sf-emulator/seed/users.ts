// The org's Organization record and its users: the integration user of spec §11
// (integration@prm-sync.test / emulator) plus sales users who own the seeded records.
import type { EmulatorUser } from '../auth/tokens.ts';
import { applyDerivedFields } from '../store/derived.ts';
import type { Org } from '../store/org.ts';
import type { Table } from '../store/table.ts';

export interface UserSpec {
  username: string;
  password?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  active?: boolean;
}

export const INTEGRATION_USER: Required<UserSpec> = {
  username: 'integration@prm-sync.test',
  password: 'emulator',
  firstName: 'Integration',
  lastName: 'User',
  email: 'integration@prm-sync.test',
  active: true,
};

const SALES_NAMES: Array<[string, string]> = [['Alice', 'Morgan'], ['Ben', 'Okafor'], ['Chen', 'Liu'], ['Dana', 'Schulz'], ['Eli', 'Novak'], ['Farah', 'Haddad'], ['Gus', 'Lindqvist'], ['Hana', 'Ito']];

/** The users to create: the integration user first, then `users` (a count of sales users, or specs). */
export function userSpecs(users: number | UserSpec[] | undefined): Array<Required<UserSpec>> {
  const extra: UserSpec[] = Array.isArray(users)
    ? users
    : Array.from({ length: users ?? 5 }, (_, i) => {
        const [first, last] = SALES_NAMES[i % SALES_NAMES.length] as [string, string];
        const n = i >= SALES_NAMES.length ? String(Math.floor(i / SALES_NAMES.length) + 1) : '';
        return { username: `${first.toLowerCase()}.${last.toLowerCase()}${n}@prm-sync.test`, firstName: first, lastName: `${last}${n}` };
      });
  const all = [INTEGRATION_USER, ...extra.filter((u) => u.username.toLowerCase() !== INTEGRATION_USER.username)];
  return all.map((u) => ({
    username: u.username,
    password: u.password ?? 'emulator',
    firstName: u.firstName ?? 'Sales',
    lastName: u.lastName ?? u.username.split('@')[0] ?? 'User',
    email: u.email ?? u.username,
    active: u.active ?? true,
  }));
}

/** Creates the User rows (validation bypassed: users come from setup, not from the API). */
export function seedUsers(org: Org, specs: Array<Required<UserSpec>>, stamp: number): EmulatorUser[] {
  const table = org.store.table('User') as Table;
  const profileId = '00eGm000000A1b2QAC';
  const out: EmulatorUser[] = [];
  let creatorId = '';
  for (const spec of specs) {
    const id = org.store.ids.next('005');
    creatorId ||= id;
    const alias = (spec.firstName.slice(0, 1) + spec.lastName.slice(0, 4)).toLowerCase().slice(0, 8);
    const row: Record<string, unknown> = {
      Id: id, IsDeleted: false, Username: spec.username, FirstName: spec.firstName, LastName: spec.lastName, Email: spec.email, Alias: alias,
      CommunityNickname: spec.username.split('@')[0], IsActive: spec.active, TimeZoneSidKey: 'GMT', LocaleSidKey: 'en_US', EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US', ProfileId: profileId, UserType: 'Standard', CompanyName: 'PRM Sync Emulated Org',
      CreatedDate: stamp, CreatedById: creatorId, LastModifiedDate: stamp, LastModifiedById: creatorId, SystemModstamp: stamp,
    };
    applyDerivedFields('User', row, row);
    org.store.write(table, row);
    out.push({ id, username: spec.username, password: spec.password, email: spec.email, firstName: spec.firstName, lastName: spec.lastName, alias, active: spec.active });
    stamp += 1;
  }
  org.store.clock.observe(stamp);
  return out;
}

export function seedOrganization(org: Org, userId: string, stamp: number): void {
  const table = org.store.table('Organization') as Table;
  org.store.write(table, {
    Id: org.orgId, Name: 'PRM Sync Emulated Org', Division: null, City: 'San Francisco', State: 'CA', Country: 'US', Phone: '+1 415 555 0100',
    DefaultLocaleSidKey: 'en_US', TimeZoneSidKey: 'GMT', LanguageLocaleKey: 'en_US', FiscalYearStartMonth: 1, UsesStartDateAsFiscalYearName: false,
    IsSandbox: false, IsReadOnly: false, OrganizationType: 'Enterprise Edition', NamespacePrefix: null, InstanceName: 'EMU1', TrialExpirationDate: null,
    ReceivesInfoEmails: false, ReceivesAdminInfoEmails: false, PreferencesConsentManagementEnabled: false, DefaultAccountAccess: 'Edit',
    CreatedDate: stamp, CreatedById: userId, LastModifiedDate: stamp, LastModifiedById: userId, SystemModstamp: stamp, IsDeleted: false,
  });
}
