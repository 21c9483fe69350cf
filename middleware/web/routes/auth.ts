// /login and /logout. Login is rate-limited per client address and locks an account after repeated wrong
// passwords; a successful login starts a fresh session (new CSRF secret) and returns to where the admin
// was going.
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { AdminUserRepository } from '../../auth/admin-users.ts';
import { loadAdmin, SESSION_ADMIN_ID } from '../auth-guard.ts';
import { formBody, safeLocalPath, Text } from '../forms.ts';
import { formatDateTime, renderPage } from '../render.ts';

export interface LoginRateLimit {
  max: number;
  timeWindow: number;
}

export interface AuthRouteOptions {
  users: AdminUserRepository;
  rateLimit: LoginRateLimit;
}

const LoginQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })), out: Type.Optional(Type.String({ maxLength: 1 })) }, { additionalProperties: false });
const LoginBody = formBody({ email: Text(254), password: Text(1024), next: Type.Optional(Type.String({ maxLength: 2000 })) });

export async function authRoutes(app: FastifyInstance, options: AuthRouteOptions): Promise<void> {
  app.get('/login', { schema: { querystring: LoginQuery } }, async (request, reply) => {
    const query = request.query as { next?: string; out?: string };
    if (await loadAdmin(request, options.users)) return reply.redirect(safeLocalPath(query.next), 302);
    const noAdmin = (await options.users.count()) === 0;
    return renderPage(request, reply, 'login', { title: 'Log in' }, { next: safeLocalPath(query.next), loggedOut: query.out === '1', noAdmin });
  });

  app.post(
    '/login',
    {
      schema: { body: LoginBody },
      config: { rateLimit: { max: options.rateLimit.max, timeWindow: options.rateLimit.timeWindow } },
    },
    async (request, reply) => {
      const body = request.body as { email: string; password: string; next?: string };
      const next = safeLocalPath(body.next);
      const result = await options.users.verifyLogin(body.email, body.password);
      if (result.outcome === 'ok') {
        request.session.regenerate();
        request.session.set(SESSION_ADMIN_ID, result.user.id);
        request.log.info({ admin: result.user.email }, 'admin logged in');
        return reply.redirect(next, 303);
      }
      const locked = result.outcome === 'locked';
      request.log.warn({ email: body.email.slice(0, 254), outcome: result.outcome }, 'admin login refused');
      const error = locked
        ? `Too many wrong passwords: this account is locked until ${formatDateTime(result.until)}. Try again later.`
        : 'The email or password is not correct.';
      return renderPage(request, reply, 'login', { title: 'Log in', status: locked ? 423 : 401 }, { next, email: body.email, error });
    },
  );

  app.post('/logout', { schema: { body: formBody({}) } }, async (request, reply) => {
    request.session.delete();
    return reply.redirect('/login?out=1', 303);
  });
}
