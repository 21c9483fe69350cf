// /wizard: the matching wizard (spec §6, §11). This file registers its steps and serves the Preparation
// page (checklist, master system, counts on both sides, "Get Started"), Refresh Data (a background task
// whose progress every wizard page shows), the progress as JSON for the optional script, and the wizard's
// stylesheet and script.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { refreshWizardData } from '../../wizard/refresh.ts';
import { preparationFacts } from '../../wizard/preparation.ts';
import { flash } from '../flash.ts';
import { formBody, NoQuery } from '../forms.ts';
import { renderPage } from '../render.ts';
import type { ConsoleServices } from '../services.ts';
import { actorOf, createWizard, ReturnField, taskView, wizardFrame, wizardReturn, type Wizard } from './wizard-common.ts';
import { wizardOrganizationRoutes } from './wizard-organizations.ts';
import { wizardContactRoutes } from './wizard-contacts.ts';
import { wizardReviewRoutes } from './wizard-review.ts';

const ASSETS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../wizard/static');
const ASSETS: Record<string, string> = { 'wizard.css': 'text/css; charset=utf-8', 'wizard-progress.js': 'text/javascript; charset=utf-8', 'wizard-typeahead.js': 'text/javascript; charset=utf-8' };

const MasterBody = formBody({ masterSystem: Type.Enum(['salesforce', 'prm']), version: Type.String({ pattern: '^\\d{1,9}$' }) });
const RefreshBody = formBody({ return: ReturnField });
const CHECK_TONES = { ok: 'success', problem: 'error', pending: 'neutral' } as const;
const CHECK_LABELS = { ok: 'Done', problem: 'Needs attention', pending: 'Waiting' } as const;
const AssetParams = Type.Object({ file: Type.Enum(Object.keys(ASSETS)) }, { additionalProperties: false });

export async function wizardRoutes(app: FastifyInstance, services: ConsoleServices): Promise<void> {
  const wizard = createWizard(app, services);
  // Let a running refresh or apply finish its batch before the database closes.
  app.addHook('onClose', async () => wizard.tasks.idle());

  app.get('/wizard', { schema: { querystring: NoQuery } }, async (request, reply) => {
    const stored = await services.settings.load();
    const settings = stored.settings;
    const [frame, facts] = await Promise.all([
      wizardFrame(wizard, 'preparation', '/wizard'),
      preparationFacts(app.db, settings, { isConfigured: () => services.salesforce.isConfigured(), describe: (name) => services.salesforce.describe(name) }, wizard.statuses(settings)),
    ]);
    return renderPage(request, reply, 'wizard/preparation', { title: 'Matching wizard', section: 'wizard' }, {
      ...frame,
      ...facts,
      checklist: facts.checklist.map((item) => ({ ...item, tone: CHECK_TONES[item.state], stateLabel: CHECK_LABELS[item.state] })),
      masterSystem: settings.organizations.masterSystem,
      contactsMaster: settings.contacts.masterSystem,
      settingsVersion: stored.version,
      threshold: Math.round(wizard.threshold * 100),
      syncFlagField: settings.organizations.syncFlagField,
      statusField: settings.organizations.statusField,
    });
  });

  app.post('/wizard/master-system', { schema: { body: MasterBody } }, async (request, reply) => {
    const { masterSystem, version } = request.body as { masterSystem: 'salesforce' | 'prm'; version: string };
    const stored = await services.settings.load();
    const next = {
      ...stored.settings,
      organizations: { ...stored.settings.organizations, masterSystem },
      contacts: { ...stored.settings.contacts, masterSystem },
    };
    try {
      // Only the master system changes here: the mappings were checked against the org when they were saved.
      const saved = await services.settings.save(next, { actor: actorOf(request), expectedVersion: Number(version), describeSource: null });
      const side = masterSystem === 'prm' ? 'the PRM' : 'Salesforce';
      flash(request, 'success', saved.changed ? `Master system saved: where both sides hold a value, ${side} wins.` : `The master system already was ${side}.`);
    } catch (error) {
      flash(request, 'error', (error as Error).message);
    }
    return reply.redirect('/wizard', 303);
  });

  app.post('/wizard/refresh', { schema: { body: RefreshBody } }, async (request, reply) => {
    const back = wizardReturn((request.body as { return?: string }).return, '/wizard');
    if (!(await services.salesforce.isConfigured())) {
      flash(request, 'error', 'Salesforce is not connected: connect it in Settings → Connection, then Refresh Data.');
      return reply.redirect(back, 303);
    }
    const outcome = await wizard.tasks.start('refresh', actorOf(request), (progress, counts) => refreshWizardData(wizard.env, progress, counts));
    if (outcome.started) flash(request, 'info', 'Refresh Data started: flagged accounts and their contacts are read from Salesforce, then the suggestions are recomputed. Decisions you made are kept.');
    else flash(request, 'warning', outcome.reason);
    return reply.redirect(back, 303);
  });

  app.get('/wizard/progress.json', { schema: { querystring: NoQuery } }, async (_request, reply) => {
    const running = taskView(await wizard.tasks.running());
    void reply.header('cache-control', 'no-store');
    return running
      ? { running: true, kind: running.kind, label: running.label, phase: running.phase, done: running.done, total: running.total, percent: running.percent }
      : { running: false };
  });

  app.get('/wizard/assets/:file', { schema: { params: AssetParams } }, async (request, reply) => {
    const { file } = request.params as { file: string };
    void reply.header('content-type', ASSETS[file] ?? 'application/octet-stream').header('cache-control', 'public, max-age=3600');
    return reply.send(await readFile(path.join(ASSETS_DIR, file)));
  });

  const routeOptions = { wizard };
  await app.register(wizardOrganizationRoutes, routeOptions);
  await app.register(wizardContactRoutes, routeOptions);
  await app.register(wizardReviewRoutes, routeOptions);
}

export interface WizardRouteOptions {
  wizard: Wizard;
}
