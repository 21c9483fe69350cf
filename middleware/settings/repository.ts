// Storage of the settings: the document row (everything but the mappings), the field_mappings rows and
// the audit trail. Only the settings service calls this.
import type { Knex } from 'knex';
import type { FieldMappingRow, SettingsAuditRow, SettingsRow } from '../db/tables.ts';
import { SYNCED_OBJECTS, type FieldMapping, type IntegrationSettings, type SyncedObject } from './model.ts';

export interface StoredSettings {
  settings: IntegrationSettings;
  version: number;
  updatedAt: Date;
  updatedBy: string;
}

export interface SettingsAuditEntry {
  id: number;
  actor: string;
  changedAt: Date;
  version: number;
  before: IntegrationSettings | null;
  after: IntegrationSettings;
}

type SettingsDocument = Omit<IntegrationSettings, SyncedObject> & Record<SyncedObject, Record<string, unknown>>;

/** The document without the mappings, which live in field_mappings. */
function toDocument(settings: IntegrationSettings): SettingsDocument {
  const document = structuredClone(settings) as unknown as SettingsDocument;
  for (const object of SYNCED_OBJECTS) delete document[object].mappings;
  return document;
}

function fromRows(document: SettingsDocument, rows: FieldMappingRow[]): IntegrationSettings {
  const settings = structuredClone(document) as unknown as IntegrationSettings;
  for (const object of SYNCED_OBJECTS) {
    settings[object].mappings = rows
      .filter((row) => row.object === object)
      .sort((a, b) => a.position - b.position)
      .map((row): FieldMapping => ({
        prmField: row.prm_field,
        sfField: row.sf_field,
        direction: row.direction,
        firstSyncOnly: row.first_sync_only,
        ...(row.value_map ? { valueMap: row.value_map } : {}),
      }));
  }
  return settings;
}

export function createSettingsRepository(db: Knex | Knex.Transaction, integration: string) {
  return {
    /** The stored settings (mappings included), or undefined before the first save. */
    async read(options: { forUpdate?: boolean } = {}): Promise<StoredSettings | undefined> {
      const query = db<SettingsRow>('settings').where({ integration });
      if (options.forUpdate) query.forUpdate();
      const row = (await query.first()) as SettingsRow | undefined;
      if (!row) return undefined;
      const mappings = (await db<FieldMappingRow>('field_mappings').where({ integration })) as FieldMappingRow[];
      return { settings: fromRows(row.document as SettingsDocument, mappings), version: row.version, updatedAt: row.updated_at, updatedBy: row.updated_by };
    },

    /** Writes version `version` of the settings; the caller holds the transaction and checked the version. */
    async write(settings: IntegrationSettings, version: number, actor: string): Promise<void> {
      const document = JSON.stringify(toDocument(settings));
      await db('settings')
        .insert({ integration, document: db.raw('?::jsonb', [document]), version, updated_by: actor, updated_at: db.fn.now() })
        .onConflict('integration')
        .merge();
      await db('field_mappings').where({ integration }).delete();
      const rows = SYNCED_OBJECTS.flatMap((object) =>
        settings[object].mappings.map((mapping, position) => ({
          integration,
          object,
          position,
          prm_field: mapping.prmField,
          sf_field: mapping.sfField,
          direction: mapping.direction,
          first_sync_only: mapping.firstSyncOnly,
          value_map: mapping.valueMap ? db.raw('?::jsonb', [JSON.stringify(mapping.valueMap)]) : null,
        })),
      );
      if (rows.length > 0) await db('field_mappings').insert(rows);
    },

    async audit(entry: { actor: string; version: number; before: IntegrationSettings | null; after: IntegrationSettings }): Promise<void> {
      await db('settings_audit').insert({
        integration,
        actor: entry.actor,
        version: entry.version,
        before: entry.before === null ? null : db.raw('?::jsonb', [JSON.stringify(entry.before)]),
        after: db.raw('?::jsonb', [JSON.stringify(entry.after)]),
      });
    },

    /** Newest first. */
    async history(limit = 50): Promise<SettingsAuditEntry[]> {
      const rows = (await db<SettingsAuditRow>('settings_audit').where({ integration }).orderBy([{ column: 'changed_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit)) as SettingsAuditRow[];
      return rows.map((row) => ({
        id: Number(row.id),
        actor: row.actor,
        changedAt: row.changed_at,
        version: row.version,
        before: row.before as IntegrationSettings | null,
        after: row.after as IntegrationSettings,
      }));
    },
  };
}
