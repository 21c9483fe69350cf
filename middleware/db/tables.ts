// Row types of the tables, as knex returns them. Differences between the drivers are noted where they
// matter: `bigint` arrives as a string from pg and as a number from PGlite, `numeric` as a string from
// both, and `date` columns are selected as text by the repositories (pg would turn them into local-time
// Date objects).

export type OrganizationKind = 'partner' | 'distributor';
export type OrganizationStatus = 'active' | 'prospective' | 'inactive';
export type CustomFields = Record<string, string | number | boolean | null>;

/** bigint columns: pg gives strings, PGlite numbers; use `toChangeSeq` from middleware/prm before comparing. */
export type BigintColumn = string | number;

export interface OrganizationRow {
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
  custom: CustomFields;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  change_seq: BigintColumn;
}

export interface ContactRow {
  id: string;
  organization_id: string;
  first_name: string | null;
  last_name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  is_user: boolean;
  user_active: boolean;
  custom: CustomFields;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  change_seq: BigintColumn;
}

export type GroupModule = 'deal_registration' | 'lead_distribution' | 'market_development_funds' | 'training';

export interface GroupRow {
  id: string;
  name: string;
  kind: OrganizationKind;
  modules: GroupModule[];
  custom: CustomFields;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export interface GroupMemberRow {
  group_id: string;
  contact_id: string;
  created_at: Date;
}

export interface DealRegistrationRow {
  id: string;
  organization_id: string;
  owner_contact_id: string;
  distributor_organization_id: string | null;
  distributor_contact_id: string | null;
  name: string;
  stage: string;
  /** numeric(18,2) as text, e.g. "1250.00". */
  amount: string | null;
  /** YYYY-MM-DD (selected as text). */
  close_date: string | null;
  sf_opportunity_id: string | null;
  custom: CustomFields;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  change_seq: BigintColumn;
}

export type SyncedObject = 'organizations' | 'contacts' | 'deals';

export interface SettingsRow {
  integration: string;
  document: unknown; // validated into IntegrationSettings by middleware/settings
  version: number;
  updated_at: Date;
  updated_by: string;
}

export interface SettingsAuditRow {
  id: BigintColumn;
  integration: string;
  actor: string;
  changed_at: Date;
  version: number;
  before: unknown;
  after: unknown;
}

export interface FieldMappingRow {
  id: string;
  integration: string;
  object: SyncedObject;
  position: number;
  prm_field: string;
  sf_field: string;
  direction: 'both' | 'to_salesforce' | 'to_prm';
  first_sync_only: boolean;
  value_map: Array<{ prm: string; sf: string }> | null;
}

export interface AdminUserRow {
  id: string;
  email: string;
  password_hash: string;
  created_at: Date;
  failed_logins: number;
  locked_until: Date | null;
}

export interface ApiTokenRow {
  id: string;
  name: string;
  token_hash: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface EncryptedSecretRow {
  name: string;
  ciphertext: string;
  iv: string;
  tag: string;
  created_at: Date;
  updated_at: Date;
}
