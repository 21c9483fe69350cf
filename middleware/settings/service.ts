// Loading and saving the integration settings: every save is validated (shape, rules, and the live
// Salesforce schema through a DescribeSource), checked against the version the admin edited, written
// with its mappings in one transaction, and audited (who, when, before, after).
import type { Knex } from 'knex';
import { AppError } from '../errors.ts';
import { defaultSettings } from './defaults.ts';
import { fetchDescribes, type DescribeSource } from './describe.ts';
import { SALESFORCE_OBJECT, SYNCED_OBJECTS, type IntegrationSettings } from './model.ts';
import type { SettingsProblem } from './problems.ts';
import { createSettingsRepository, type SettingsAuditEntry, type StoredSettings } from './repository.ts';
import { validateSettings } from './validate.ts';

export const DEFAULT_INTEGRATION = 'salesforce';

export interface SaveOptions {
  /** Who saves (an admin's email, or "system"). */
  actor: string;
  /** The version the admin loaded; 0 for settings never saved. */
  expectedVersion: number;
  /**
   * Where to read the Salesforce schema from. null skips the schema check (no connection yet); the
   * result then says so, and the metadata check before the wizard has to pass anyway.
   */
  describeSource: DescribeSource | null;
}

export interface SaveResult extends StoredSettings {
  warnings: SettingsProblem[];
  schemaChecked: boolean;
  /** false when the settings equal the stored ones: nothing written, nothing audited. */
  changed: boolean;
}

export class SettingsInvalidError extends AppError {
  constructor(readonly problems: SettingsProblem[]) {
    super(400, 'SETTINGS_INVALID', `The settings were not saved: ${problems.map((problem) => problem.message).join(' ')}`, problems);
  }
}

export function createSettingsService(db: Knex, integration = DEFAULT_INTEGRATION) {
  const repository = createSettingsRepository(db, integration);

  return {
    /** The stored settings, or the defaults at version 0 before the first save. */
    async load(): Promise<StoredSettings> {
      return (await repository.read()) ?? { settings: defaultSettings(), version: 0, updatedAt: new Date(0), updatedBy: 'defaults' };
    },

    /** Validates without saving: what the settings page shows next to the form. */
    async check(value: unknown, describeSource: DescribeSource | null) {
      return validateSettings(value, describeSource ? await describesFor(value, describeSource) : null);
    },

    async save(value: unknown, options: SaveOptions): Promise<SaveResult> {
      const describes = options.describeSource ? await describesFor(value, options.describeSource) : null;
      const check = validateSettings(value, describes);
      if (check.problems.length > 0 || !check.settings) throw new SettingsInvalidError(check.problems);
      const settings = check.settings;

      return db.transaction(async (trx) => {
        const scoped = createSettingsRepository(trx, integration);
        const current = await scoped.read({ forUpdate: true });
        const currentVersion = current?.version ?? 0;
        if (currentVersion !== options.expectedVersion) {
          throw new AppError(
            409,
            'STALE_VERSION',
            `The settings changed since you loaded them (now version ${currentVersion}${current ? `, saved by ${current.updatedBy}` : ''}; you edited version ${options.expectedVersion}). Reload them and apply your change again.`,
            [{ field: 'version', problem: `is ${options.expectedVersion}; the current version is ${currentVersion}`, current_version: currentVersion }],
          );
        }
        if (current && canonicalJson(current.settings) === canonicalJson(settings)) {
          return { ...current, warnings: check.warnings, schemaChecked: describes !== null, changed: false };
        }
        const version = currentVersion + 1;
        await scoped.write(settings, version, options.actor);
        await scoped.audit({ actor: options.actor, version, before: current?.settings ?? null, after: settings });
        const saved = (await scoped.read()) as StoredSettings;
        return { ...saved, warnings: check.warnings, schemaChecked: describes !== null, changed: true };
      });
    },

    /** Settings changes, newest first. */
    history(limit?: number): Promise<SettingsAuditEntry[]> {
      return repository.history(limit);
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;

/** Describes of the Salesforce objects the (possibly invalid) settings enable; all three when unreadable. */
async function describesFor(value: unknown, source: DescribeSource) {
  const settings = value as Partial<IntegrationSettings> | null;
  const objects = SYNCED_OBJECTS.filter((object) => settings?.[object]?.direction !== 'disabled').map((object) => SALESFORCE_OBJECT[object]);
  try {
    return await fetchDescribes(source, objects);
  } catch (error) {
    throw new AppError(502, 'SALESFORCE_DESCRIBE_FAILED', `The settings were not saved: reading the Salesforce schema failed (${(error as Error).message}). Check the connection in Settings → Connection and try again.`);
  }
}

/** JSON with sorted keys: jsonb does not keep key order, so equal settings must compare equal regardless. */
function canonicalJson(value: unknown): string {
  const sort = (inner: unknown): unknown => {
    if (Array.isArray(inner)) return inner.map(sort);
    if (inner === null || typeof inner !== 'object') return inner;
    return Object.fromEntries(Object.keys(inner).sort().map((key) => [key, sort((inner as Record<string, unknown>)[key])]));
  };
  return JSON.stringify(sort(value));
}

export type { IntegrationSettings };
