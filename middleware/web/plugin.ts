// The admin console: server-rendered pages (Handlebars + SLDS, no client-side JavaScript) behind an admin
// login, on the same Fastify instance as the PRM API. Registered by app.ts with the services it drives;
// everything browser-specific (session cookie, CSRF, CSP, form bodies, HTML errors) stays inside this
// plugin's scope, so the REST API is untouched by it.
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyError, FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { createAdminUserRepository } from '../auth/admin-users.ts';
import { DEFAULT_LOCKOUT, type LockoutPolicy } from '../auth/lockout.ts';
import { typeBoxValidatorCompiler } from '../prm/api/validator.ts';
import { requireAdmin } from './auth-guard.ts';
import { renderErrorPage } from './errors.ts';
import { registerViews } from './render.ts';
import { authRoutes, type LoginRateLimit } from './routes/auth.ts';
import { consoleRoutes } from './routes/index.ts';
import { registerBrowserSecurity } from './security.ts';
import type { ConsoleServices } from './services.ts';

export interface WebPluginOptions extends ConsoleServices {
  loginRateLimit?: LoginRateLimit;
  lockout?: LockoutPolicy;
}

const require = createRequire(import.meta.url);
const SLDS_ASSETS = path.join(path.dirname(require.resolve('@salesforce-ux/design-system/package.json')), 'assets');
const OWN_STATIC = path.join(path.dirname(fileURLToPath(import.meta.url)), 'static');

export async function webPlugin(app: FastifyInstance, options: WebPluginOptions): Promise<void> {
  const users = createAdminUserRepository(app.db, options.lockout ?? DEFAULT_LOCKOUT);
  const first = await users.ensureFirstAdmin(app.config.adminEmail, app.config.adminPassword);
  if (first === 'created') app.log.info({ admin: app.config.adminEmail }, 'first admin user created from PRM_SYNC_ADMIN_EMAIL');
  if (first === 'not_configured') app.log.warn('No admin user exists: set PRM_SYNC_ADMIN_EMAIL and PRM_SYNC_ADMIN_PASSWORD to create the first one.');

  app.setValidatorCompiler(typeBoxValidatorCompiler);
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await registerBrowserSecurity(app, app.config);
  await app.register(rateLimit, { global: false });
  await registerViews(app);
  app.setErrorHandler((error: FastifyError, request, reply) => renderErrorPage(error, request, reply));

  // Design system assets (CSS, icons, images) and the console's own stylesheet: public, cacheable.
  await app.register(fastifyStatic, { root: SLDS_ASSETS, prefix: '/assets/', maxAge: '1d', immutable: false });
  await app.register(fastifyStatic, { root: OWN_STATIC, prefix: '/static/', decorateReply: false, maxAge: '1h' });

  await app.register(authRoutes, { users, rateLimit: options.loginRateLimit ?? { max: 10, timeWindow: 60_000 } });
  await app.register(async (admin) => {
    admin.addHook('onRequest', requireAdmin(users));
    await admin.register(consoleRoutes, options);
  });
}
