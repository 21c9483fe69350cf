// Builds what the admin console drives from the app's config and database: settings service, Salesforce
// connection store and access, sync service, scheduler (decorated on the app so server.ts starts it and
// /readyz reports it) and the Prometheus metrics (served at /metrics).
import type { FastifyInstance } from 'fastify';
import type { LockoutPolicy } from '../auth/lockout.ts';
import { createConnectionStore } from '../auth/salesforce-connection.ts';
import { createJobRunners } from '../jobs/runners.ts';
import { createScheduler, type JobRunners, type Scheduler } from '../jobs/scheduler.ts';
import { createMetrics, registerMetricsRoute, type Metrics } from '../ops/metrics.ts';
import { createSettingsService } from '../settings/service.ts';
import { createSyncService } from '../sync/service.ts';
import type { WebPluginOptions } from './plugin.ts';
import type { LoginRateLimit } from './routes/auth.ts';
import { createSalesforceAccess } from './salesforce-access.ts';
import type { RecordSync } from './services.ts';

/** Test and deployment overrides; everything has a production default. */
export interface ConsoleOptions {
  runners?: JobRunners;
  recordSync?: RecordSync;
  loginRateLimit?: LoginRateLimit;
  lockout?: LockoutPolicy;
}

declare module 'fastify' {
  interface FastifyInstance {
    scheduler: Scheduler;
    metrics: Metrics;
  }
}

export async function adminConsole(app: FastifyInstance, options: ConsoleOptions = {}): Promise<WebPluginOptions> {
  const settings = createSettingsService(app.db);
  const connections = createConnectionStore(app.db, app.config);
  const salesforce = createSalesforceAccess(connections, app.config);
  const sync = createSyncService({ db: app.db, config: app.config });
  const metrics = createMetrics();
  const scheduler = createScheduler({
    db: app.db,
    databaseKind: app.databaseKind,
    runners: options.runners ?? createJobRunners({ db: app.db, config: app.config, sync }),
    loadSchedules: async () => (await settings.load()).settings.schedules,
    log: app.log,
    observer: metrics,
  });
  app.decorate('scheduler', scheduler);
  app.decorate('metrics', metrics);
  // Stop planning runs and let running ones finish before the database closes.
  app.addHook('preClose', async () => scheduler.stop());
  await registerMetricsRoute(app, metrics);
  return {
    scheduler,
    recordSync: options.recordSync ?? sync,
    settings,
    connections,
    salesforce,
    loginRateLimit: options.loginRateLimit,
    lockout: options.lockout,
  };
}
