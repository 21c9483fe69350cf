// The PRM REST API: /api/v1/{organizations,contacts,groups,deals} behind bearer tokens, documented at /docs.
import type { FastifyInstance } from 'fastify';
import { bearerAuthentication } from './auth.ts';
import { acceptJsonOnly } from './body-parsing.ts';
import { contactRoutes } from './contacts.ts';
import { dealRoutes } from './deals.ts';
import { groupRoutes } from './groups.ts';
import { registerOpenApi } from './openapi.ts';
import { organizationRoutes } from './organizations.ts';
import { typeBoxValidatorCompiler } from './validator.ts';

export async function prmApiPlugin(app: FastifyInstance): Promise<void> {
  // The bootstrap token of PRM_SYNC_API_TOKEN is stored (hashed) like any other, so it can be listed and revoked.
  if (app.config.apiToken) await app.apiTokens.ensureBootstrap(app.config.apiToken);

  await registerOpenApi(app);
  await app.register(
    async (api) => {
      api.setValidatorCompiler(typeBoxValidatorCompiler);
      acceptJsonOnly(api);
      api.addHook('onRequest', bearerAuthentication(app.apiTokens));
      await api.register(organizationRoutes);
      await api.register(contactRoutes);
      await api.register(groupRoutes);
      await api.register(dealRoutes);
    },
    { prefix: '/api/v1' },
  );
}
