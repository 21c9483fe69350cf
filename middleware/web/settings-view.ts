// The settings page as data: sections of form fields with their current values, choices (from the live
// Salesforce describe when connected) and the validation message that belongs to each. Pure.
import type { SObjectDescribe } from '../settings/describe.ts';
import type { SettingsProblem } from '../settings/problems.ts';
import type { SettingsForm } from './settings-form.ts';

export interface Choice {
  value: string;
  label: string;
  selected: boolean;
}

export interface FormField {
  name: string;
  id: string;
  label: string;
  help?: string;
  kind: 'select' | 'text' | 'checkbox';
  value: string;
  checked?: boolean;
  choices?: Choice[];
  datalist?: string;
  error?: string;
  /** A fact shown under the field, e.g. a schedule's latest and next run. */
  note?: string;
  /** Narrow fields sit two or three to a row. */
  width: 'full' | 'half' | 'third';
}

export interface FormSection {
  id: string;
  title: string;
  description: string;
  fields: FormField[];
}

export interface SchemaChoices {
  accountCheckboxes: string[];
  accountPicklists: string[];
  statusValues: string[];
  accountRecordTypes: string[];
  contactCheckboxes: string[];
  contactRecordTypes: string[];
  opportunityCheckboxes: string[];
}

const OBJECT_DIRECTIONS: Array<[string, string]> = [
  ['push_and_pull', 'Both ways (PRM ↔ Salesforce)'],
  ['push', 'PRM → Salesforce only'],
  ['pull', 'Salesforce → PRM only'],
  ['disabled', 'Disabled'],
];
const DEAL_DIRECTIONS: Array<[string, string]> = [
  ['pull', 'Import opportunities as deal registrations'],
  ['disabled', 'Disabled'],
];
const MASTER_SYSTEMS: Array<[string, string]> = [
  ['salesforce', 'Salesforce'],
  ['prm', 'PRM'],
];
const CONFLICT_POLICIES: Array<[string, string]> = [
  ['master_system', 'The master system wins'],
  ['last_modified_wins', 'The later change wins'],
];
export const INCREMENTAL_INTERVALS: Array<[string, string]> = [
  ['manual', 'Manual only'],
  ['5', 'Every 5 minutes'],
  ['10', 'Every 10 minutes'],
  ['15', 'Every 15 minutes'],
  ['30', 'Every 30 minutes'],
  ['60', 'Every hour'],
];
export const LONG_INTERVALS: Array<[string, string]> = [
  ['manual', 'Manual only'],
  ['hourly', 'Every hour'],
  ['every_6_hours', 'Every 6 hours'],
  ['daily', 'Daily at 03:00 UTC'],
];

/** Choices from the describes of Account, Contact and Opportunity (any may be missing). */
export function schemaChoices(describes: Partial<Record<'Account' | 'Contact' | 'Opportunity', SObjectDescribe>>, statusField: string): SchemaChoices {
  const names = (describe: SObjectDescribe | undefined, types: string[]) =>
    (describe?.fields ?? []).filter((field) => types.includes(field.type)).map((field) => field.name).sort((a, b) => a.localeCompare(b));
  const recordTypes = (describe: SObjectDescribe | undefined) =>
    (describe?.recordTypeInfos ?? []).filter((info) => !info.master && info.developerName && info.active !== false).map((info) => info.developerName as string);
  const status = describes.Account?.fields.find((field) => field.name === statusField);
  return {
    accountCheckboxes: names(describes.Account, ['boolean']),
    accountPicklists: names(describes.Account, ['picklist']),
    statusValues: (status?.picklistValues ?? []).filter((value) => value.active).map((value) => value.value),
    accountRecordTypes: recordTypes(describes.Account),
    contactCheckboxes: names(describes.Contact, ['boolean']),
    contactRecordTypes: recordTypes(describes.Contact),
    opportunityCheckboxes: names(describes.Opportunity, ['boolean']),
  };
}

/** Problems by form field name; problems of fields not on this form (mappings) stay in `other`. */
export function problemsByField(problems: readonly SettingsProblem[], fieldNames: ReadonlySet<string>): { byField: Map<string, string>; other: SettingsProblem[] } {
  const byField = new Map<string, string>();
  const other: SettingsProblem[] = [];
  for (const problem of problems) {
    if (fieldNames.has(problem.path)) byField.set(problem.path, byField.has(problem.path) ? `${byField.get(problem.path)} ${problem.message}` : problem.message);
    else other.push(problem);
  }
  return { byField, other };
}

export function settingsSections(form: SettingsForm, errors: Map<string, string>, schema: SchemaChoices | null, notes: Record<string, string> = {}): FormSection[] {
  const id = (name: string) => `f-${name.replace(/\./g, '-')}`;
  const base = (name: string, label: string, width: FormField['width'], help?: string) => ({ name, id: id(name), label, help, error: errors.get(name), note: notes[name], width, value: form[name] ?? '' });
  const choices = (value: string, options: Array<[string, string]>): Choice[] => {
    const list = options.map(([v, l]) => ({ value: v, label: l, selected: v === value }));
    if (value !== '' && !options.some(([v]) => v === value)) list.unshift({ value, label: `${value} (not offered)`, selected: true });
    return list;
  };
  const select = (name: string, label: string, options: Array<[string, string]>, width: FormField['width'] = 'third', help?: string): FormField => ({
    ...base(name, label, width, help),
    kind: 'select',
    choices: choices(form[name] ?? '', options),
  });
  /** A Salesforce name: a choice from describe when connected, else typed. */
  const sfName = (name: string, label: string, live: string[] | undefined, options: { allowNone?: string; width?: FormField['width']; help?: string } = {}): FormField => {
    if (!live) return { ...base(name, label, options.width ?? 'third', options.help), kind: 'text' };
    const list: Array<[string, string]> = live.map((v) => [v, v]);
    if (options.allowNone !== undefined) list.unshift(['', options.allowNone]);
    return select(name, label, list, options.width ?? 'third', options.help);
  };
  const checkbox = (name: string, label: string, help?: string): FormField => ({ ...base(name, label, 'half', help), kind: 'checkbox', checked: form[name] === 'on' });
  const statusValue = (kind: 'partner' | 'distributor', status: string): FormField => ({
    ...base(`organizations.statusValues.${kind}.${status}`, `${kind === 'partner' ? 'Partner' : 'Distributor'} · ${status}`, 'third'),
    kind: 'text',
    datalist: schema ? 'status-values' : undefined,
  });

  return [
    {
      id: 'integration',
      title: 'Integration',
      description: 'The global switch: off pauses every job of this integration and overrides everything below.',
      fields: [checkbox('enabled', 'Integration is on', 'When off, scheduled and manual runs are skipped and logged as such.')],
    },
    {
      id: 'organizations',
      title: 'Organizations ↔ Accounts',
      description: 'Partner and distributor organizations sync with Accounts flagged "Sync with PRM".',
      fields: [
        select('organizations.direction', 'Direction', OBJECT_DIRECTIONS),
        select('organizations.masterSystem', 'Master system', MASTER_SYSTEMS),
        select('organizations.conflictPolicy', 'Conflict policy', CONFLICT_POLICIES),
        sfName('organizations.syncFlagField', 'Sync flag (Account checkbox)', schema?.accountCheckboxes, { width: 'half' }),
        sfName('organizations.statusField', 'Status picklist (Account)', schema?.accountPicklists, { width: 'half', help: 'Its values say whether an account is a partner or a distributor, and its status.' }),
        statusValue('partner', 'active'),
        statusValue('partner', 'prospective'),
        statusValue('partner', 'inactive'),
        statusValue('distributor', 'active'),
        statusValue('distributor', 'prospective'),
        statusValue('distributor', 'inactive'),
        checkbox('organizations.includeProspective', 'Sync prospective partners'),
        checkbox('organizations.includeInactive', 'Sync inactive partners'),
        sfName('organizations.recordTypes.partner', 'Record type for new partner accounts', schema?.accountRecordTypes, { allowNone: "The integration user's default", width: 'half' }),
        sfName('organizations.recordTypes.distributor', 'Record type for new distributor accounts', schema?.accountRecordTypes, { allowNone: "The integration user's default", width: 'half' }),
      ],
    },
    {
      id: 'contacts',
      title: 'Contacts ↔ Contacts',
      description: 'Contacts follow their organization; they are matched by email.',
      fields: [
        select('contacts.direction', 'Direction', OBJECT_DIRECTIONS),
        select('contacts.masterSystem', 'Master system', MASTER_SYSTEMS),
        select('contacts.conflictPolicy', 'Conflict policy', CONFLICT_POLICIES),
        sfName('contacts.syncFlagField', 'Opt-out checkbox (Contact)', schema?.contactCheckboxes, { allowNone: 'None: contacts follow their account', width: 'half' }),
        sfName('contacts.recordType', 'Record type for new contacts', schema?.contactRecordTypes, { allowNone: "The integration user's default", width: 'half' }),
      ],
    },
    {
      id: 'deals',
      title: 'Deal registrations ← Opportunities',
      description: 'Eligible opportunities are imported as PRM deal registrations; their id and URL are written back.',
      fields: [
        select('deals.direction', 'Direction', DEAL_DIRECTIONS),
        sfName('deals.syncFlagField', 'Sync flag (Opportunity checkbox)', schema?.opportunityCheckboxes),
        sfName('deals.exportFlagField', 'Export flag (Opportunity checkbox)', schema?.opportunityCheckboxes),
      ],
    },
    {
      id: 'schedules',
      title: 'Schedules',
      description: 'How often each job runs on its own. Manual jobs run only from the Sync Manager.',
      fields: [
        select('schedules.incrementalSync', 'Incremental sync', INCREMENTAL_INTERVALS),
        select('schedules.fullReconcile', 'Full reconcile', LONG_INTERVALS),
        select('schedules.dealImport', 'Deal import', LONG_INTERVALS),
      ],
    },
  ];
}
