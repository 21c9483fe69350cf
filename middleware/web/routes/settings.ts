// /settings: the integration settings form. Saved through the settings service (validated against the
// live Salesforce schema when connected, version-checked, audited); problems are shown next to their
// fields; a save reschedules the jobs.
import { Type } from 'typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import { SCHEDULE_NAMES, type ScheduleName } from '../../jobs/schedule-plan.ts';
import type { SettingsProblem } from '../../settings/problems.ts';
import { SettingsInvalidError } from '../../settings/service.ts';
import { flash } from '../flash.ts';
import { formBody } from '../forms.ts';
import { createRunQueries } from '../queries/runs.ts';
import { formatDateTime, renderPage } from '../render.ts';
import type { ConsoleServices } from '../services.ts';
import { changedPaths, formFromSettings, settingsFromForm, SETTINGS_FORM_FIELDS, type SettingsForm } from '../settings-form.ts';
import { problemsByField, schemaChoices, settingsSections, type SchemaChoices } from '../settings-view.ts';

const SettingsQuery = Type.Object({ refresh: Type.Optional(Type.String({ maxLength: 1 })) }, { additionalProperties: false });
const SettingsBody = formBody({
  version: Type.String({ pattern: '^\\d{1,9}$' }),
  ...Object.fromEntries(Object.keys(SETTINGS_FORM_FIELDS).map((name) => [name, Type.Optional(Type.String({ maxLength: 255 }))])),
});

const SCHEDULE_FIELD: Record<ScheduleName, string> = {
  incremental_sync: 'schedules.incrementalSync',
  full_reconcile: 'schedules.fullReconcile',
  deal_import: 'schedules.dealImport',
};
/** The runs a schedule's "Latest run" is taken from (the deal import runs the same way in either mode). */
const SCHEDULE_RUN_KEYS: Record<ScheduleName, string[]> = {
  incremental_sync: ['accounts_contacts:incremental'],
  full_reconcile: ['accounts_contacts:full'],
  deal_import: ['deals:incremental', 'deals:full'],
};

interface RenderState {
  form: SettingsForm;
  version: number;
  problems: SettingsProblem[];
  warnings: SettingsProblem[];
  error?: string;
  status?: number;
  refresh?: boolean;
}

export async function settingsRoutes(app: FastifyInstance, services: ConsoleServices): Promise<void> {
  const runs = createRunQueries(app.db);

  async function liveSchema(statusField: string, fresh: boolean): Promise<{ schema: SchemaChoices | null; schemaError: string | null; connected: boolean }> {
    if (!(await services.salesforce.isConfigured())) return { schema: null, schemaError: null, connected: false };
    try {
      const [Account, Contact, Opportunity] = await Promise.all(['Account', 'Contact', 'Opportunity'].map((name) => services.salesforce.describe(name, fresh)));
      return { schema: schemaChoices({ Account, Contact, Opportunity }, statusField), schemaError: null, connected: true };
    } catch (error) {
      return { schema: null, schemaError: `Salesforce could not be read (${(error as Error).message}); the fields below are plain text until it can.`, connected: true };
    }
  }

  async function scheduleNotes(): Promise<Record<string, string>> {
    const [status, latest] = await Promise.all([services.scheduler.status(), runs.latestByJobAndMode()]);
    const notes: Record<string, string> = {};
    for (const name of SCHEDULE_NAMES) {
      const planned = status.flatMap((job) => job.schedules).find((entry) => entry.name === name);
      const run = SCHEDULE_RUN_KEYS[name]
        .map((key) => latest.get(key))
        .filter((candidate) => candidate !== undefined)
        .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())[0];
      const latestText = run ? `${formatDateTime(run.startedAt)} (${run.status})` : 'never';
      const nextText = planned?.nextRunAt ? formatDateTime(planned.nextRunAt) : planned?.cron ? 'not planned on this replica' : 'manual';
      notes[SCHEDULE_FIELD[name]] = `Latest run: ${latestText} · Next run: ${nextText}`;
    }
    return notes;
  }

  async function render(request: FastifyRequest, reply: FastifyReply, state: RenderState) {
    const statusField = state.form['organizations.statusField'] ?? '';
    const [{ schema, schemaError, connected }, notes, history] = await Promise.all([liveSchema(statusField, state.refresh ?? false), scheduleNotes(), services.settings.history(10)]);
    const { byField, other } = problemsByField(state.problems, new Set(Object.keys(SETTINGS_FORM_FIELDS)));
    return renderPage(request, reply, 'settings', { title: 'Settings', section: 'settings', status: state.status }, {
      sections: settingsSections(state.form, byField, schema, notes),
      statusValues: schema?.statusValues ?? [],
      version: state.version,
      otherProblems: other,
      warnings: state.warnings,
      error: state.error,
      connected,
      schemaError,
      history: history.map((entry) => ({ ...entry, changes: entry.before === null ? 'first save' : entry.version === 0 ? 'integration deleted; defaults restored' : changedPaths(entry.before, entry.after).slice(0, 8).join(', ') || 'no visible change' })),
    });
  }

  app.get('/settings', { schema: { querystring: SettingsQuery } }, async (request, reply) => {
    const stored = await services.settings.load();
    const refresh = (request.query as { refresh?: string }).refresh === '1';
    if (refresh) services.salesforce.reset();
    return render(request, reply, { form: formFromSettings(stored.settings), version: stored.version, problems: [], warnings: [], refresh });
  });

  app.post('/settings', { schema: { body: SettingsBody } }, async (request, reply) => {
    const body = request.body as SettingsForm & { version: string };
    const stored = await services.settings.load();
    const value = settingsFromForm(stored.settings, body);
    const describeSource = (await services.salesforce.isConfigured()) ? services.salesforce.freshDescribeSource() : null;
    try {
      const saved = await services.settings.save(value, { actor: request.admin?.email ?? 'unknown', expectedVersion: Number(body.version), describeSource });
      if (saved.changed) await services.scheduler.reschedule();
      const notes = saved.warnings.map((warning) => warning.message);
      if (!saved.schemaChecked) notes.push('Salesforce is not connected, so the settings were not checked against its schema; the metadata check will do so.');
      flash(request, saved.changed ? 'success' : 'info', saved.changed ? `Settings saved (version ${saved.version}).` : 'Nothing changed.', notes);
      return reply.redirect('/settings', 303);
    } catch (error) {
      const base = { form: body, version: Number(body.version), warnings: [] as SettingsProblem[] };
      if (error instanceof SettingsInvalidError) {
        return render(request, reply, { ...base, problems: error.problems, status: 422, error: `The settings were not saved: ${error.problems.length} ${error.problems.length === 1 ? 'problem' : 'problems'} to fix.` });
      }
      if (error instanceof AppError && (error.code === 'STALE_VERSION' || error.code === 'SALESFORCE_DESCRIBE_FAILED')) {
        return render(request, reply, { ...base, problems: [], status: error.statusCode, error: error.message });
      }
      throw error;
    }
  });
}
