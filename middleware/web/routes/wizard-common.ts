// What every wizard page shares: the wizard's environment and background tasks (one per app), the step
// bar, the Refresh Data bar with the running task's progress (the page reloads itself while a task runs),
// and the checks on "return to" paths.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { IntegrationSettings } from '../../settings/model.ts';
import { eligibleStatuses, type WizardEnvironment } from '../../wizard/environment.ts';
import { cacheRefreshedAt } from '../../wizard/sf-cache.ts';
import { createTaskRunner, type TaskRunner, type WizardTask } from '../../wizard/tasks.ts';
import { integrationState, STATE_KEYS } from '../../sync/state.ts';
import { DEFAULT_MATCH_SETTINGS } from '../../matching/score.ts';
import type { ConsoleServices } from '../services.ts';

export interface Wizard {
  env: WizardEnvironment;
  tasks: TaskRunner;
  services: ConsoleServices;
  settings(): Promise<IntegrationSettings>;
  /** PRM organization statuses the settings sync. */
  statuses(settings: IntegrationSettings): string[];
  threshold: number;
}

export function createWizard(app: FastifyInstance, services: ConsoleServices): Wizard {
  const settings = async () => (await services.settings.load()).settings;
  const env: WizardEnvironment = { db: app.db, loadSettings: settings, session: () => services.salesforce.session(), publicUrl: app.config.publicUrl, matchSettings: DEFAULT_MATCH_SETTINGS };
  const tasks = createTaskRunner(app.db, (error, task) => app.log.error({ err: error, task: task.kind }, 'matching wizard task failed'));
  return {
    env,
    tasks,
    services,
    settings,
    statuses: (current) => eligibleStatuses({ includeProspective: current.organizations.includeProspective, includeInactive: current.organizations.includeInactive }),
    threshold: DEFAULT_MATCH_SETTINGS.threshold,
  };
}

export const STEPS = [
  { key: 'preparation', href: '/wizard', label: 'Preparation' },
  { key: 'organizations', href: '/wizard/organizations', label: 'Organizations' },
  { key: 'contacts', href: '/wizard/contacts', label: 'Contacts' },
  { key: 'review', href: '/wizard/review', label: 'Review' },
  { key: 'confirm', href: '/wizard/confirm', label: 'Confirm' },
] as const;
export type StepKey = (typeof STEPS)[number]['key'];

/** How often a page showing a running task reloads itself (the optional script updates it in between). */
export const REFRESH_SECONDS = 3;

export function taskView(task: WizardTask | null) {
  if (!task) return null;
  const percent = task.total > 0 ? Math.min(100, Math.round((task.done / task.total) * 100)) : null;
  return {
    ...task,
    label: task.kind === 'refresh' ? 'Refresh Data' : 'Applying the decisions',
    percent,
    elapsed: Math.round(((task.finishedAt ?? new Date()).getTime() - task.startedAt.getTime()) / 1000),
  };
}

/** The frame data of every wizard page: steps, the Refresh Data bar and any running task. */
export async function wizardFrame(wizard: Wizard, step: StepKey, returnTo: string) {
  const [running, lastRefresh, refreshedAt, completedAt] = await Promise.all([
    wizard.tasks.running(),
    wizard.tasks.latest('refresh'),
    cacheRefreshedAt(wizard.env.db),
    integrationState.get<string>(wizard.env.db, STATE_KEYS.wizardCompletedAt),
  ]);
  const index = STEPS.findIndex((s) => s.key === step);
  return {
    steps: STEPS.map((s, i) => ({ ...s, current: s.key === step, done: i < index })),
    running: taskView(running),
    refreshFailed: lastRefresh?.status === 'failed' ? lastRefresh.error : null,
    refreshedAt,
    completedAt: completedAt ?? null,
    returnTo,
    refreshSeconds: running ? REFRESH_SECONDS : null,
  };
}

/** Where a wizard form may send the admin back to: a wizard page, never another site. */
export function wizardReturn(value: string | undefined, fallback: string): string {
  if (!value || !/^\/wizard(\/[a-z0-9/-]*)?(\?[^#\s]*)?$/i.test(value) || value.startsWith('//')) return fallback;
  return value;
}

export const ReturnField = Type.Optional(Type.String({ maxLength: 1000 }));
export const SalesforceId = Type.String({ pattern: '^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$' });
export const PageNumber = Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 }));

/** Decisions are locked while an apply carries them out: a change mid-way would apply half of it. */
export async function lockedByApply(wizard: Wizard): Promise<string | null> {
  const running = await wizard.tasks.running();
  return running?.kind === 'apply' ? 'Your decisions are being applied right now; they can be changed again once that has finished.' : null;
}

export function actorOf(request: { admin?: { email: string } }): string {
  return request.admin?.email ?? 'admin';
}
