// Builds the Fastify instance: used by server.ts and by tests (fastify.inject) alike.
import Fastify, { type FastifyInstance, type FastifyError } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.ts';
import type { DbHandle } from './db/knex.ts';
import { REDACTED_PATHS } from './log/redact.ts';
import { AppError } from './errors.ts';
import { registerOpsRoutes } from './ops/routes.ts';
import { prmRepositoriesPlugin } from './prm/plugin.ts';
import { prmApiPlugin } from './prm/api/index.ts';
import { adminConsole, type ConsoleOptions } from './web/console.ts';
import { webPlugin } from './web/plugin.ts';

export interface AppDeps {
  config: Config;
  database: DbHandle;
  /** Pino destination for tests that capture log lines (to prove no secret is logged). */
  logStream?: NodeJS.WritableStream;
  /** Admin console overrides (job runners, login limits) for tests and deployments. */
  console?: ConsoleOptions;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: DbHandle['db'];
    databaseKind: DbHandle['kind'];
  }
}

/** Largest request body accepted (1 MiB): far above any real record, far below what would strain memory. */
const BODY_LIMIT = 1024 * 1024;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: deps.config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    bodyLimit: BODY_LIMIT,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', deps.config);
  app.decorate('db', deps.database.db);
  app.decorate('databaseKind', deps.database.kind);
  app.setErrorHandler(renderError);
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No route for ${request.method} ${request.url}.` } });
  });

  await app.register(registerOpsRoutes);
  await app.register(prmRepositoriesPlugin);
  await app.register(prmApiPlugin);
  await app.register(webPlugin, await adminConsole(app, deps.console));
  return app;
}

function renderError(this: FastifyInstance, error: FastifyError | AppError, request: { log: FastifyInstance['log']; headers: Record<string, unknown> }, reply: { code(n: number): { send(body: unknown): void } }) {
  if (error instanceof AppError) {
    reply.code(error.statusCode).send({ error: { code: error.code, message: error.message, details: error.details } });
    return;
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const details = fastifyError.validation.map((issue) => ({
      field: fieldName(issue.instancePath, issue.params as Record<string, unknown>),
      problem: issue.message ?? 'is invalid',
    }));
    const summary = details.map((d) => `${d.field}: ${d.problem}`).join('; ');
    reply.code(400).send({ error: { code: 'VALIDATION_FAILED', message: `Invalid ${fastifyError.validationContext ?? 'request'}: ${summary}`, details } });
    return;
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  reply.code(status).send({
    error: { code: fastifyError.code ?? 'INTERNAL_ERROR', message: status >= 500 ? 'Internal error; see the server log.' : (bodyProblem(fastifyError.code, request.headers) ?? error.message) },
  });
}

/** Fastify's own words for a refused body ("Unsupported Media Type") say neither what was sent nor what to send. */
function bodyProblem(code: string | undefined, headers: Record<string, unknown>): string | null {
  switch (code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `Content-Type ${String(headers['content-type'] ?? '(none)')} is not accepted: send the body as JSON with "Content-Type: application/json".`;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `The request body is larger than ${BODY_LIMIT / 1024 / 1024} MiB: send fewer or shorter values (custom fields hold at most 10,000 characters each).`;
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The request body is not valid JSON (or uses the reserved keys __proto__ / constructor.prototype): check the JSON text.';
    default:
      return null;
  }
}

/** "/billing/city" → "billing.city"; additionalProperties errors name the unexpected property. */
function fieldName(instancePath: string, params: Record<string, unknown>): string {
  const base = instancePath.replace(/^\//, '').replace(/\//g, '.');
  const extra = params.additionalProperty ?? params.missingProperty;
  if (typeof extra === 'string') return base ? `${base}.${extra}` : extra;
  return base || '(body)';
}
