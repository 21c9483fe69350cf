// OpenAPI for the PRM API: the document at /docs/json, Swagger UI at /docs, bearer security scheme.
// Registered in the API's own scope, so the document lists the /api/v1 routes and not the admin pages.
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      // 3.1 is JSON Schema 2020-12 compatible: the TypeBox schemas (e.g. `anyOf [string, null]`) go in unchanged.
      openapi: '3.1.0',
      info: {
        title: 'prm-sync PRM API',
        version: '1',
        description:
          'Organizations, contacts/users, groups and deal registrations of the PRM. Every route needs `Authorization: Bearer <token>`. ' +
          'Errors are `{ error: { code, message, details } }`. Send the `version` you read to refuse stale writes (409 STALE_VERSION). ' +
          'Lists page with `limit` and the opaque `next_cursor`.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'PRM_SYNC_API_TOKEN or a token created in the admin console.' } } },
      security: [{ bearerAuth: [] }],
      tags: [
        { name: 'organizations', description: 'Partners and distributors' },
        { name: 'contacts', description: 'Contacts and users' },
        { name: 'groups', description: 'User groups and the modules they grant' },
        { name: 'deals', description: 'Deal registrations' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
