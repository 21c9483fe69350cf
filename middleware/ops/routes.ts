// Liveness and readiness for load balancers and orchestrators. Readiness covers the database and, once
// the server started it, the job scheduler (its schedules could be read).
import type { FastifyInstance } from 'fastify';

export async function registerOpsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const scheduler = app.hasDecorator('scheduler') ? app.scheduler.health() : null;
    try {
      await app.db.raw('select 1');
      if (scheduler?.started && !scheduler.ready) {
        return reply.code(503).send({ status: 'unavailable', database: app.databaseKind, scheduler, reason: scheduler.problem });
      }
      return { status: 'ready', database: app.databaseKind, ...(scheduler ? { scheduler } : {}) };
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable', database: app.databaseKind, reason: (error as Error).message });
    }
  });
}
