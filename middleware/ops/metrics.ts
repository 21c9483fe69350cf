// Prometheus metrics at /metrics (prom-client): sync runs by job and outcome, records synced, record
// errors, Salesforce API calls, run durations, jobs running now, and HTTP requests by route. One registry
// per app instance, so tests (several apps in one process) do not share counters.
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface RunObservation {
  status: string;
  recordsSynced?: number;
  errors?: number;
  apiCalls?: number;
}

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'prm_sync_process_' });
  const runs = new Counter({ name: 'prm_sync_runs_total', help: 'Job runs finished, by job and status.', labelNames: ['job', 'status'], registers: [registry] });
  const records = new Counter({ name: 'prm_sync_records_synced_total', help: 'Records written to either side by finished runs.', labelNames: ['job'], registers: [registry] });
  const errors = new Counter({ name: 'prm_sync_record_errors_total', help: 'Per-record errors logged by finished runs.', labelNames: ['job'], registers: [registry] });
  const apiCalls = new Counter({ name: 'prm_sync_salesforce_api_calls_total', help: 'Salesforce API calls made by finished runs.', labelNames: ['job'], registers: [registry] });
  const duration = new Histogram({
    name: 'prm_sync_run_duration_seconds',
    help: 'Wall-clock duration of job runs.',
    labelNames: ['job'],
    buckets: [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [registry],
  });
  const running = new Gauge({ name: 'prm_sync_job_running', help: '1 while this replica runs the job.', labelNames: ['job'], registers: [registry] });
  const locked = new Counter({ name: 'prm_sync_job_lock_busy_total', help: 'Runs skipped because another run (any replica) held the job lock.', labelNames: ['job'], registers: [registry] });
  const http = new Counter({ name: 'prm_sync_http_requests_total', help: 'HTTP requests by method, route and status code.', labelNames: ['method', 'route', 'status'], registers: [registry] });

  return {
    registry,
    runStarted(job: string): void {
      running.set({ job }, 1);
    },
    runFinished(job: string, outcome: RunObservation, seconds: number): void {
      running.set({ job }, 0);
      runs.inc({ job, status: outcome.status });
      duration.observe({ job }, seconds);
      if (outcome.recordsSynced) records.inc({ job }, outcome.recordsSynced);
      if (outcome.errors) errors.inc({ job }, outcome.errors);
      if (outcome.apiCalls) apiCalls.inc({ job }, outcome.apiCalls);
    },
    lockBusy(job: string): void {
      locked.inc({ job });
    },
    httpRequest(method: string, route: string, status: number): void {
      http.inc({ method, route, status: String(status) });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export async function registerMetricsRoute(app: FastifyInstance, metrics: Metrics): Promise<void> {
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: keeps label cardinality bounded (no ids, no query strings).
    metrics.httpRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode);
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    void reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
