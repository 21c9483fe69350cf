// Every page behind the admin login (spec §11 paths).
import type { FastifyInstance } from 'fastify';
import type { ConsoleServices } from '../services.ts';
import { connectionRoutes } from './connection.ts';
import { logRoutes } from './log.ts';
import { mappingRoutes } from './mappings.ts';
import { metadataRoutes } from './metadata.ts';
import { recordRoutes } from './records.ts';
import { settingsRoutes } from './settings.ts';
import { syncRoutes } from './sync.ts';
import { wizardRoutes } from './wizard.ts';

export async function consoleRoutes(app: FastifyInstance, services: ConsoleServices): Promise<void> {
  app.get('/', async (_request, reply) => reply.redirect('/sync', 302));
  await app.register(settingsRoutes, services);
  await app.register(connectionRoutes, services);
  await app.register(metadataRoutes, services);
  await app.register(mappingRoutes, services);
  await app.register(syncRoutes, services);
  await app.register(logRoutes, services);
  await app.register(recordRoutes, services);
  await app.register(wizardRoutes, services);
}
