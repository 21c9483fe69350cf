// Who is logged in: the session names an admin id, which must still exist. Admin pages send anyone else
// to /login (remembering where they were going); routes marked `config: { public: true }` are open.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminUser, AdminUserRepository } from '../auth/admin-users.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in admin on console routes. */
    admin?: AdminUser;
  }
}

export const SESSION_ADMIN_ID = 'adminId';

export async function loadAdmin(request: FastifyRequest, users: AdminUserRepository): Promise<AdminUser | undefined> {
  const id = request.session.get(SESSION_ADMIN_ID) as string | undefined;
  if (!id || !/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  return users.get(id);
}

export function requireAdmin(users: AdminUserRepository) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const admin = await loadAdmin(request, users);
    if (admin) {
      request.admin = admin;
      return;
    }
    const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
    await reply.redirect(`/login${next}`, 302);
  };
}
