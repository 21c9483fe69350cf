// /settings/mappings: field mappings per object — the PRM fields and the Salesforce fields (live describe)
// side by side, the mapping table (direction, first-sync-only), a picklist value map editor, and "New
// Field", which creates a Salesforce custom field through the Tooling API and can map it at once.
import { Type } from 'typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import type { SObjectDescribe } from '../../settings/describe.ts';
import { SALESFORCE_OBJECT, SYNCED_OBJECTS, type FieldMapping, type IntegrationSettings, type SyncedObject } from '../../settings/model.ts';
import { PRM_FIELDS, prmField } from '../../settings/prm-fields.ts';
import { SettingsInvalidError } from '../../settings/service.ts';
import { flash } from '../flash.ts';
import { formBody, Text, OptionalText } from '../forms.ts';
import { MAPPING_FORM_KEY, mappingRows, mappingsFromForm, rowProblems, valueMapFromForm, type MappingForm } from '../mappings-form.ts';
import { renderPage } from '../render.ts';
import type { ConsoleServices } from '../services.ts';
import { valueMapView } from '../value-map-view.ts';
import { newFieldFromForm, NEW_FIELD_TYPES } from '../new-field.ts';

const ObjectName = Type.Enum([...SYNCED_OBJECTS]);
const PageQuery = Type.Object({ object: Type.Optional(ObjectName), refresh: Type.Optional(Type.String({ maxLength: 1 })) }, { additionalProperties: false });
const ValuesQuery = Type.Object({ object: ObjectName, index: Type.Integer({ minimum: 0, maximum: 199 }) }, { additionalProperties: false });
const TableBody = Type.Record(Type.String({ pattern: MAPPING_FORM_KEY }), Type.String({ maxLength: 255 }));
const NewFieldBody = formBody({
  object: ObjectName,
  version: Type.String({ pattern: '^\\d{1,9}$' }),
  label: Text(40),
  name: Text(40),
  type: Type.Enum([...NEW_FIELD_TYPES]),
  length: OptionalText(3),
  values: OptionalText(4000),
  mapTo: OptionalText(70),
  direction: Type.Optional(Type.Enum(['both', 'to_salesforce', 'to_prm'])),
});

const DIRECTIONS = [
  { value: 'both', label: 'Both ways' },
  { value: 'to_salesforce', label: 'PRM → Salesforce' },
  { value: 'to_prm', label: 'Salesforce → PRM' },
];

function withMappings(settings: IntegrationSettings, object: SyncedObject, mappings: FieldMapping[]): IntegrationSettings {
  return { ...settings, [object]: { ...settings[object], mappings } };
}

export async function mappingRoutes(app: FastifyInstance, services: ConsoleServices): Promise<void> {
  async function describeOf(object: SyncedObject, fresh = false): Promise<{ describe: SObjectDescribe | null; error: string | null }> {
    if (!(await services.salesforce.isConfigured())) return { describe: null, error: null };
    try {
      return { describe: await services.salesforce.describe(SALESFORCE_OBJECT[object], fresh), error: null };
    } catch (error) {
      return { describe: null, error: (error as Error).message };
    }
  }

  async function renderTable(request: FastifyRequest, reply: FastifyReply, object: SyncedObject, state: { mappings: FieldMapping[]; version: number; errors?: Map<string, string>; general?: string[]; formRow?: number[]; status?: number; fresh?: boolean }) {
    const { describe, error } = await describeOf(object, state.fresh);
    const mappedSf = new Set(state.mappings.map((m) => m.sfField));
    const mappedPrm = new Set(state.mappings.map((m) => m.prmField));
    // Value maps make sense where either side has a fixed set of values.
    const picklists = new Set([
      ...(describe?.fields ?? []).filter((field) => ['picklist', 'multipicklist', 'combobox'].includes(field.type)).map((field) => field.name),
      ...PRM_FIELDS[object].filter((field) => field.values).map((field) => `prm:${field.name}`),
    ]);
    return renderPage(request, reply, 'mappings', { title: 'Field Mappings', section: 'mappings', status: state.status }, {
      object,
      sfObject: SALESFORCE_OBJECT[object],
      tabs: SYNCED_OBJECTS.map((name) => ({ name, sfObject: SALESFORCE_OBJECT[name], active: name === object })),
      version: state.version,
      rows: mappingRows(state.mappings, 2, state.errors, state.formRow, picklists),
      directions: DIRECTIONS,
      general: state.general ?? [],
      connected: describe !== null,
      describeError: error,
      prmFields: PRM_FIELDS[object].map((field) => ({ ...field, mapped: mappedPrm.has(field.name) })),
      sfFields: (describe?.fields ?? [])
        .map((field) => ({ name: field.name, label: field.label ?? '', type: field.type, writable: Boolean(field.updateable || field.createable), mapped: mappedSf.has(field.name) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      newFieldTypes: NEW_FIELD_TYPES,
    });
  }

  /** Saves mappings through the settings service; refused saves come back as problems. */
  async function save(request: FastifyRequest, object: SyncedObject, mappings: FieldMapping[], version: number) {
    const stored = await services.settings.load();
    const describeSource = (await services.salesforce.isConfigured()) ? services.salesforce.freshDescribeSource() : null;
    return services.settings.save(withMappings(stored.settings, object, mappings), { actor: request.admin?.email ?? 'unknown', expectedVersion: version, describeSource });
  }

  app.get('/settings/mappings', { schema: { querystring: PageQuery } }, async (request, reply) => {
    const query = request.query as { object?: SyncedObject; refresh?: string };
    const object = query.object ?? 'organizations';
    const stored = await services.settings.load();
    return renderTable(request, reply, object, { mappings: stored.settings[object].mappings, version: stored.version, fresh: query.refresh === '1' });
  });

  app.post('/settings/mappings', { schema: { body: TableBody } }, async (request, reply) => {
    const form = request.body as MappingForm;
    const object = form.object as SyncedObject;
    if (!(SYNCED_OBJECTS as readonly string[]).includes(object)) throw new AppError(400, 'VALIDATION_FAILED', 'object: must be organizations, contacts or deals.');
    const version = Number(form.version ?? 'x');
    const stored = await services.settings.load();
    const parsed = mappingsFromForm(form, stored.settings[object].mappings);
    try {
      const saved = await save(request, object, parsed.mappings, version);
      flash(request, saved.changed ? 'success' : 'info', saved.changed ? `Field mappings saved (settings version ${saved.version}).` : 'Nothing changed.', saved.warnings.map((w) => w.message));
      return reply.redirect(`/settings/mappings?object=${object}`, 303);
    } catch (error) {
      const problems = error instanceof SettingsInvalidError ? error.problems : null;
      if (!problems && !(error instanceof AppError && error.statusCode < 500)) throw error;
      const { byRow, general } = problems ? rowProblems(object, problems, parsed.formRow) : { byRow: new Map<string, string>(), general: [(error as Error).message] };
      return renderTable(request, reply, object, { mappings: parsed.mappings, version, errors: byRow, general, formRow: parsed.formRow, status: problems ? 422 : (error as AppError).statusCode });
    }
  });

  app.get('/settings/mappings/values', { schema: { querystring: ValuesQuery } }, async (request, reply) => {
    const { object, index } = request.query as { object: SyncedObject; index: number };
    const stored = await services.settings.load();
    const mapping = stored.settings[object].mappings[index];
    if (!mapping) throw new AppError(404, 'NOT_FOUND', `There is no mapping #${index + 1} for ${object}; it may have been removed.`);
    const { describe, error } = await describeOf(object);
    const view = valueMapView(mapping, prmField(object, mapping.prmField), describe?.fields.find((field) => field.name === mapping.sfField));
    return renderPage(request, reply, 'value-map', { title: 'Picklist values', section: 'mappings' }, { object, index, version: stored.version, mapping, describeError: error, ...view });
  });

  app.post('/settings/mappings/values', { schema: { body: TableBody } }, async (request, reply) => {
    const form = request.body as MappingForm;
    const object = form.object as SyncedObject;
    const index = Number(form.index ?? 'x');
    const stored = await services.settings.load();
    const mappings = (SYNCED_OBJECTS as readonly string[]).includes(object) ? [...stored.settings[object].mappings] : [];
    const mapping = mappings[index];
    if (!mapping) throw new AppError(404, 'NOT_FOUND', 'That mapping does not exist (any more); reload the mappings page.');
    const valueMap = valueMapFromForm(form);
    mappings[index] = { ...mapping, ...(valueMap.length > 0 ? { valueMap } : {}) };
    if (valueMap.length === 0) delete mappings[index].valueMap;
    try {
      await save(request, object, mappings, Number(form.version ?? 'x'));
      flash(request, 'success', `Value map of ${mapping.prmField} ↔ ${mapping.sfField} saved (${valueMap.length} ${valueMap.length === 1 ? 'pair' : 'pairs'}).`);
      return reply.redirect(`/settings/mappings?object=${object}`, 303);
    } catch (error) {
      if (error instanceof SettingsInvalidError || (error instanceof AppError && error.statusCode < 500)) {
        const problems = error instanceof SettingsInvalidError ? error.problems.map((p) => p.message) : [error.message];
        flash(request, 'error', 'The value map was not saved.', problems);
        return reply.redirect(`/settings/mappings/values?object=${object}&index=${index}`, 303);
      }
      throw error;
    }
  });

  app.post('/settings/mappings/new-field', { schema: { body: NewFieldBody } }, async (request, reply) => {
    const body = request.body as Record<string, string | undefined>;
    const object = body.object as SyncedObject;
    const back = `/settings/mappings?object=${object}`;
    const parsed = newFieldFromForm(SALESFORCE_OBJECT[object], body);
    if ('problem' in parsed) {
      flash(request, 'error', `No field was created: ${parsed.problem}`);
      return reply.redirect(back, 303);
    }
    let apiName: string;
    try {
      ({ apiName } = await services.salesforce.createCustomField(parsed.field));
    } catch (error) {
      flash(request, 'error', `Salesforce did not create the field: ${(error as Error).message}`);
      return reply.redirect(back, 303);
    }
    const mapTo = body.mapTo?.trim();
    if (!mapTo) {
      flash(request, 'success', `Created ${SALESFORCE_OBJECT[object]}.${apiName}. Map it in the table below.`);
      return reply.redirect(back, 303);
    }
    const stored = await services.settings.load();
    const mapping: FieldMapping = { prmField: mapTo, sfField: apiName, direction: (body.direction ?? 'both') as FieldMapping['direction'], firstSyncOnly: false };
    try {
      await save(request, object, [...stored.settings[object].mappings, mapping], Number(body.version));
      flash(request, 'success', `Created ${SALESFORCE_OBJECT[object]}.${apiName} and mapped it to ${mapTo}.`);
    } catch (error) {
      const problems = error instanceof SettingsInvalidError ? error.problems.map((p) => p.message) : [(error as Error).message];
      flash(request, 'warning', `Created ${SALESFORCE_OBJECT[object]}.${apiName}, but the mapping was not saved.`, problems);
    }
    return reply.redirect(back, 303);
  });
}
