// The settings page's form ↔ the settings document. Form fields are named by their settings path
// (`organizations.statusValues.partner.active`), so the validator's problem paths point straight at the
// field to show them next to. Mappings are edited on their own page and carried over unchanged. Pure.
import type { IntegrationSettings } from '../settings/model.ts';

type FieldKind = 'text' | 'checkbox' | 'nullable' | 'interval';

/** Every field of the settings form and how its text becomes a settings value. */
export const SETTINGS_FORM_FIELDS: Record<string, FieldKind> = {
  enabled: 'checkbox',
  'organizations.direction': 'text',
  'organizations.masterSystem': 'text',
  'organizations.conflictPolicy': 'text',
  'organizations.syncFlagField': 'text',
  'organizations.statusField': 'text',
  'organizations.statusValues.partner.active': 'text',
  'organizations.statusValues.partner.prospective': 'text',
  'organizations.statusValues.partner.inactive': 'text',
  'organizations.statusValues.distributor.active': 'text',
  'organizations.statusValues.distributor.prospective': 'text',
  'organizations.statusValues.distributor.inactive': 'text',
  'organizations.includeProspective': 'checkbox',
  'organizations.includeInactive': 'checkbox',
  'organizations.recordTypes.partner': 'nullable',
  'organizations.recordTypes.distributor': 'nullable',
  'contacts.direction': 'text',
  'contacts.masterSystem': 'text',
  'contacts.conflictPolicy': 'text',
  'contacts.syncFlagField': 'nullable',
  'contacts.recordType': 'nullable',
  'deals.direction': 'text',
  'deals.syncFlagField': 'text',
  'deals.exportFlagField': 'text',
  'schedules.incrementalSync': 'interval',
  'schedules.fullReconcile': 'text',
  'schedules.dealImport': 'text',
};

export type SettingsForm = Record<string, string | undefined>;

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1) as string] = value;
}

function getPath(source: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), source);
}

function fromText(kind: FieldKind, raw: string | undefined): unknown {
  const text = raw?.trim() ?? '';
  switch (kind) {
    case 'checkbox':
      return raw === 'on' || raw === 'true';
    case 'nullable':
      return text === '' ? null : text;
    case 'interval':
      return /^\d+$/.test(text) ? Number(text) : text;
    default:
      return text;
  }
}

/** The submitted form applied to the current settings (mappings and unlisted fields kept). */
export function settingsFromForm(current: IntegrationSettings, form: SettingsForm): unknown {
  const next = structuredClone(current) as unknown as Record<string, unknown>;
  for (const [name, kind] of Object.entries(SETTINGS_FORM_FIELDS)) setPath(next, name, fromText(kind, form[name]));
  return next;
}

/** Form values (text) of stored settings, for the first render. */
export function formFromSettings(settings: IntegrationSettings): SettingsForm {
  const form: SettingsForm = {};
  for (const [name, kind] of Object.entries(SETTINGS_FORM_FIELDS)) {
    const value = getPath(settings, name);
    if (kind === 'checkbox') form[name] = value === true ? 'on' : undefined;
    else form[name] = value === null || value === undefined ? '' : String(value);
  }
  return form;
}

/** "version 3 → 4: organizations.direction, schedules.incrementalSync" — what an audited save changed. */
export function changedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(before) || !isObject(after)) return [prefix || '(settings)'];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.flatMap((key) => changedPaths(before[key], after[key], prefix ? `${prefix}.${key}` : key));
}
