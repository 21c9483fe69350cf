// The integration settings of spec §3 as one TypeBox schema: global toggle → per-object direction, master
// system and conflict policy → field mappings (direction, first-sync-only, picklist value maps), plus the
// Salesforce selection (sync flag, status picklist and its values, record types) and the schedules.
// Pure data: nothing here does I/O.
import { Type, type Static } from 'typebox';

export const SYNCED_OBJECTS = ['organizations', 'contacts', 'deals'] as const;
export type SyncedObject = (typeof SYNCED_OBJECTS)[number];

/** The Salesforce object each PRM object syncs with. */
export const SALESFORCE_OBJECT: Record<SyncedObject, 'Account' | 'Contact' | 'Opportunity'> = {
  organizations: 'Account',
  contacts: 'Contact',
  deals: 'Opportunity',
};

/** A Salesforce API name: Name, BillingCity, PRM_Sync__c, ns__Field__c. */
const ApiName = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$', maxLength: 80 });
/** A PRM column (`name`, `billing_city`), a derived field (`record_url`) or a custom field (`custom.tier`). */
const PrmFieldName = Type.String({ pattern: '^([a-z][a-z0-9_]*|custom\\.[A-Za-z][A-Za-z0-9_]{0,62})$', maxLength: 70 });
const PicklistValue = Type.String({ minLength: 1, maxLength: 255 });
const RecordTypeName = Type.Union([Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$', maxLength: 80 }), Type.Null()], {
  description: 'Record type DeveloperName for new records; null = the default record type of the integration user.',
});

export const ObjectDirection = Type.Enum(['push_and_pull', 'push', 'pull', 'disabled']);
export const MasterSystem = Type.Enum(['salesforce', 'prm']);
export const ConflictPolicyName = Type.Enum(['master_system', 'last_modified_wins']);
export const FieldDirection = Type.Enum(['both', 'to_salesforce', 'to_prm']);

export const ValueMapEntry = Type.Object({ prm: PicklistValue, sf: PicklistValue }, { additionalProperties: false });

export const FieldMapping = Type.Object(
  {
    prmField: PrmFieldName,
    sfField: ApiName,
    direction: FieldDirection,
    firstSyncOnly: Type.Boolean(),
    /** Picklist value map; values compare case-sensitively on both sides. */
    valueMap: Type.Optional(Type.Array(ValueMapEntry, { maxItems: 500 })),
  },
  { additionalProperties: false },
);

const Mappings = Type.Array(FieldMapping, { maxItems: 200 });

const StatusValues = Type.Object({ active: PicklistValue, prospective: PicklistValue, inactive: PicklistValue }, { additionalProperties: false });

const objectCommon = {
  direction: ObjectDirection,
  masterSystem: MasterSystem,
  conflictPolicy: ConflictPolicyName,
  mappings: Mappings,
};

export const OrganizationSettings = Type.Object(
  {
    ...objectCommon,
    /** Checkbox on Account: only flagged accounts sync. */
    syncFlagField: ApiName,
    /** Picklist on Account carrying partner kind + status (PRM_Partner_Status__c, or e.g. Type). */
    statusField: ApiName,
    statusValues: Type.Object({ partner: StatusValues, distributor: StatusValues }, { additionalProperties: false }),
    includeProspective: Type.Boolean(),
    includeInactive: Type.Boolean(),
    recordTypes: Type.Object({ partner: RecordTypeName, distributor: RecordTypeName }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

export const ContactSettings = Type.Object(
  {
    ...objectCommon,
    /** Contact-level opt-out checkbox; null = contacts follow their account. */
    syncFlagField: Type.Union([ApiName, Type.Null()]),
    recordType: RecordTypeName,
  },
  { additionalProperties: false },
);

export const DealSettings = Type.Object(
  {
    ...objectCommon,
    /** Deals come from Salesforce only; their id and URL are written back. */
    direction: Type.Enum(['pull', 'disabled']),
    syncFlagField: ApiName,
    exportFlagField: ApiName,
  },
  { additionalProperties: false },
);

export const IncrementalInterval = Type.Enum(['manual', 5, 10, 15, 30, 60], { description: 'Minutes between incremental syncs, or manual.' });
export const LongInterval = Type.Enum(['manual', 'hourly', 'every_6_hours', 'daily']);

export const Schedules = Type.Object(
  { incrementalSync: IncrementalInterval, fullReconcile: LongInterval, dealImport: LongInterval },
  { additionalProperties: false },
);

export const IntegrationSettings = Type.Object(
  {
    /** Off pauses every job of the integration; overrides everything below. */
    enabled: Type.Boolean(),
    organizations: OrganizationSettings,
    contacts: ContactSettings,
    deals: DealSettings,
    schedules: Schedules,
  },
  { additionalProperties: false },
);

export type IntegrationSettings = Static<typeof IntegrationSettings>;
export type FieldMapping = Static<typeof FieldMapping>;
export type ValueMapEntry = Static<typeof ValueMapEntry>;
export type Schedules = Static<typeof Schedules>;
export type LongInterval = Static<typeof LongInterval>;
export type IncrementalInterval = Static<typeof IncrementalInterval>;

/** The cron expression of a schedule, or null for manual (node-cron syntax, minute resolution). */
export function cronOf(interval: IncrementalInterval | LongInterval): string | null {
  switch (interval) {
    case 'manual':
      return null;
    case 'hourly':
      return '0 * * * *';
    case 'every_6_hours':
      return '0 */6 * * *';
    case 'daily':
      return '0 3 * * *';
    case 60:
      return '0 * * * *';
    default:
      return `*/${interval} * * * *`;
  }
}
