// What the settings validators report: a problem refuses the save; a warning is shown but does not.
export type SettingsProblemCode =
  | 'INVALID_VALUE'
  | 'OBJECT_NOT_DESCRIBED'
  | 'FIELD_MISSING'
  | 'FIELD_CASE_MISMATCH'
  | 'TYPE_MISMATCH'
  | 'NOT_UPDATEABLE'
  | 'NOT_CREATEABLE'
  | 'NOT_EXTERNAL_ID'
  | 'PICKLIST_VALUE_MISSING'
  | 'PICKLIST_VALUE_CASE'
  | 'PICKLIST_VALUE_INACTIVE'
  | 'VALUE_MAP_REQUIRED'
  | 'VALUE_MAP_DUPLICATE'
  | 'RECORD_TYPE_MISSING'
  | 'RECORD_TYPE_UNAVAILABLE'
  | 'PRM_FIELD_UNKNOWN'
  | 'PRM_FIELD_READ_ONLY'
  | 'DUPLICATE_MAPPING'
  | 'REQUIRED_FIELD_UNMAPPED'
  | 'STATUS_VALUES_AMBIGUOUS'
  | 'TRUNCATION_RISK'
  | 'PRM_FIELD_SHORTER'
  | 'PICKLIST_VALUES_UNMAPPED';

export interface SettingsProblem {
  /** Where in the settings, e.g. `organizations.mappings[3].sfField`. */
  path: string;
  code: SettingsProblemCode;
  message: string;
}

export interface SettingsValidation {
  problems: SettingsProblem[];
  warnings: SettingsProblem[];
}

/** "/organizations/mappings/3/sfField" → "organizations.mappings[3].sfField". */
export function settingsPath(instancePath: string, property?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (property) parts.push(property);
  return parts.reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}
