// The seams between the emulator's parts, fixed up front so they can be built side by side:
// the org core (schema, records, SOQL) serves every route module (REST, collections, Bulk API 2.0,
// Metadata API deploy, Tooling API) through `EmulatorOrg`, and each route module plugs into the HTTP
// server through `RouteModule`. Shapes follow Salesforce's own (see ../shared/design/salesforce-notes.md).

/** One error item as Salesforce returns it in save results. */
export interface SfErrorItem {
  statusCode: string; // e.g. REQUIRED_FIELD_MISSING, STRING_TOO_LONG, DUPLICATE_VALUE, UNABLE_TO_LOCK_ROW
  message: string;
  fields: string[];
}

/** The per-record result of create/update/upsert/delete, in Salesforce's shape. */
export interface SaveResult {
  id: string | null;
  success: boolean;
  errors: SfErrorItem[];
  created?: boolean; // upsert only
}

/** Field values keyed by the canonical (describe) field name, e.g. { Name: 'Acme', PRM_Sync__c: true }. */
export type SObjectValues = Record<string, unknown>;

/** A CustomField as the Metadata API and the Tooling API carry it (parsed XML / JSON). */
export interface CustomFieldDefinition {
  fullName: string; // "Account.PRM_Sync__c" (Tooling/mdapi) or "PRM_Sync__c" when the object is given apart
  label?: string;
  type: string; // Checkbox, Text, TextArea, LongTextArea, Picklist, DateTime, Date, Url, Email, Number, Currency, Phone, ...
  length?: number;
  precision?: number;
  scale?: number;
  visibleLines?: number;
  externalId?: boolean;
  unique?: boolean;
  caseSensitive?: boolean;
  required?: boolean;
  defaultValue?: string;
  description?: string;
  inlineHelpText?: string;
  /** Picklist values in order; `default` marks the default. `restricted` mirrors valueSet.restricted. */
  picklist?: { values: Array<{ value: string; label?: string; default?: boolean }>; restricted: boolean };
}

export interface RecordTypeDefinition {
  sobjectType: string;
  developerName: string;
  label: string;
  active: boolean;
}

/** Thrown by EmulatorOrg.query for SOQL it cannot run; routes render it as a 400 error body. */
export class SoqlError extends Error {
  constructor(
    readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE' | 'INVALID_QUERY_FILTER_OPERATOR',
    message: string,
  ) {
    super(message);
  }
}

/** The org core every route module uses. All DML goes through the same validation as REST. */
export interface EmulatorOrg {
  readonly orgId: string; // 00D…
  /** The full describe JSON for an object (Salesforce's shape), or undefined if no such object. */
  describe(objectName: string): Record<string, unknown> | undefined;
  /** Canonical object name for any casing, or undefined. */
  resolveObjectName(objectName: string): string | undefined;
  /** Adds or replaces a custom field (metadata deploy, Tooling API); it appears in describe at once. */
  upsertCustomField(objectName: string, field: CustomFieldDefinition): void;
  upsertRecordType(recordType: RecordTypeDefinition): string; // returns the 012… id

  create(objectName: string, values: SObjectValues, userId?: string): SaveResult;
  update(objectName: string, id: string, values: SObjectValues, userId?: string): SaveResult;
  upsert(objectName: string, externalIdField: string, values: SObjectValues, userId?: string): SaveResult;
  /** Soft delete into the recycle bin (IsDeleted = true, visible to queryAll). */
  delete(objectName: string, id: string, userId?: string): SaveResult;
  undelete(objectName: string, id: string, userId?: string): SaveResult;
  retrieve(objectName: string, id: string, fields?: string[]): SObjectValues | undefined;

  /** Runs SOQL; records come in Salesforce's JSON shape (attributes, nested parents/children). */
  query(soql: string, options?: { includeDeleted?: boolean }): { totalSize: number; records: SObjectValues[] };
}

/** A parsed HTTP request as route modules see it. Path params come from the route pattern. */
export interface EmulatorRequest {
  method: string;
  path: string; // without the query string, `//` collapsed
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  /** Body parsed as JSON when the content type says so; undefined otherwise. */
  json?: unknown;
  /** The authenticated user's id (005…) once the bearer token checked out. */
  userId?: string;
}

export interface EmulatorReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown; // objects/arrays → JSON; string/Buffer sent as is
}

export type RouteHandler = (request: EmulatorRequest, org: EmulatorOrg) => Promise<EmulatorReply> | EmulatorReply;

/** A group of routes. Patterns use `:name` segments and `:version` for the API version (e.g. v62.0). */
export interface RouteModule {
  name: string; // ledger label prefix, e.g. 'bulk2', 'metadata'
  routes: Array<{
    method: string;
    pattern: string;
    handler: RouteHandler;
    auth?: boolean /* default true */;
    /** Optional ledger label after the module name (`ingest.create` → `bulk2.ingest.create`); derived from the pattern otherwise. */
    label?: string;
  }>;
}
