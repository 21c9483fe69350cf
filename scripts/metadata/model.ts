// The parsed shape of the companion package that the offline checks work on. Values stay the strings the
// XML holds ('true', '36', …) so the checks can report a malformed value instead of silently coercing it.

/** One file as read from disk (or built by a test): its path relative to the project root and its text. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** One finding: the file it is about and what is wrong, in words an admin can act on. */
export interface Problem {
  readonly file: string;
  readonly message: string;
}

/** The outcome of one named check. `scope` says what it looked at, for the report ("19 fields"). */
export interface CheckResult {
  readonly name: string;
  readonly scope: string;
  readonly problems: readonly Problem[];
  /** Set when the check did not run (e.g. --skip-convert); its problems are then empty. */
  readonly skipped?: string;
}

export interface PicklistValueMeta {
  readonly fullName?: string;
  readonly label?: string;
  readonly default?: string;
}

export interface ValueSetMeta {
  readonly restricted?: string;
  /** Set when the picklist uses a global value set instead of its own values. */
  readonly valueSetName?: string;
  readonly hasDefinition: boolean;
  readonly values: readonly PicklistValueMeta[];
}

/** A CustomField (objects/<Object>/fields/<Name>.field-meta.xml). */
export interface FieldMeta {
  readonly file: string;
  readonly object: string;
  /** The API name the file name gives, e.g. PRM_Sync__c. */
  readonly name: string;
  /** Elements that hold one value, by element name (fullName, type, label, length, defaultValue, …). */
  readonly values: Readonly<Record<string, string>>;
  /** Element names that appear more than once where Salesforce allows one. */
  readonly repeated: readonly string[];
  readonly valueSet?: ValueSetMeta;
}

export interface RecordTypePicklistMeta {
  readonly picklist?: string;
  readonly values: readonly { readonly fullName?: string; readonly default?: string }[];
}

/** A RecordType (objects/<Object>/recordTypes/<DeveloperName>.recordType-meta.xml). */
export interface RecordTypeMeta {
  readonly file: string;
  readonly object: string;
  readonly name: string;
  readonly values: Readonly<Record<string, string>>;
  readonly repeated: readonly string[];
  readonly picklists: readonly RecordTypePicklistMeta[];
}

export interface FieldPermissionMeta {
  readonly field?: string;
  readonly readable?: string;
  readonly editable?: string;
}

export interface ObjectPermissionMeta {
  readonly object?: string;
  readonly allowCreate?: string;
  readonly allowRead?: string;
  readonly allowEdit?: string;
  readonly allowDelete?: string;
  readonly viewAllRecords?: string;
  readonly modifyAllRecords?: string;
}

export interface RecordTypeVisibilityMeta {
  readonly recordType?: string;
  readonly visible?: string;
  /** Only profiles may set a default record type; kept to report it. */
  readonly default?: string;
}

/** A PermissionSet (permissionsets/<Name>.permissionset-meta.xml). */
export interface PermissionSetMeta {
  readonly file: string;
  readonly name: string;
  readonly values: Readonly<Record<string, string>>;
  readonly repeated: readonly string[];
  readonly fieldPermissions: readonly FieldPermissionMeta[];
  readonly objectPermissions: readonly ObjectPermissionMeta[];
  readonly recordTypeVisibilities: readonly RecordTypeVisibilityMeta[];
}

/** Everything under force-app that the checks understand, plus the files that failed to parse. */
export interface MetadataBundle {
  readonly fields: readonly FieldMeta[];
  readonly recordTypes: readonly RecordTypeMeta[];
  readonly permissionSets: readonly PermissionSetMeta[];
  /** Every XML file that was read, parsed or not. */
  readonly xmlFiles: readonly string[];
  /** Unparsable XML, wrong root element, wrong namespace, misplaced files. */
  readonly parseProblems: readonly Problem[];
}

/** `Object.Field` — how permission sets and package manifests name a field. */
export function qualifiedName(object: string, name: string): string {
  return `${object}.${name}`;
}
