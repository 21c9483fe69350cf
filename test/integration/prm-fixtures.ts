// Shared set-up for the PRM API tests: a migrated database (PGlite, or a schema in DATABASE_URL's
// PostgreSQL), the app built on it with a bootstrap API token, and an authenticated inject helper.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../middleware/app.ts';
import { loadConfig } from '../../middleware/config.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/db.ts';

export const API_TOKEN = 'bootstrap-token-for-tests-0123456789';

export interface ApiContext {
  app: FastifyInstance;
  database: TestDatabase;
  /** An authenticated request; `body` is sent as JSON. */
  api(method: InjectOptions['method'], url: string, body?: unknown): Promise<LightMyRequestResponse>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

export async function openApiContext(): Promise<ApiContext> {
  const database = await openTestDatabase();
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', PRM_SYNC_API_TOKEN: API_TOKEN }), database });
  return {
    app,
    database,
    api: (method, url, body) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${API_TOKEN}` }, ...(body === undefined ? {} : { payload: body as object }) }),
    count: async (table) => {
      const [row] = await database.db(table).count<Array<{ count: string | number }>>({ count: '*' });
      return Number(row?.count ?? 0);
    },
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** The field names an error reply's details mention. */
export function errorFields(response: LightMyRequestResponse): string[] {
  const details = (response.json() as { error: { details?: Array<{ field?: string }> } }).error.details;
  return Array.isArray(details) ? details.map((d) => d.field ?? '') : [];
}
