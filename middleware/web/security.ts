// The console's browser security: an encrypted session cookie (httpOnly, SameSite=Lax, Secure when the
// public URL is https), CSRF tokens checked on every POST, and strict security headers (CSP: this site
// only, no inline script or style).
import { hkdfSync, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import csrfProtection from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import secureSession from '@fastify/secure-session';
import type { Config } from '../config.ts';
import type { PendingAuthorization } from '../auth/salesforce-oauth.ts';
import type { FlashMessage } from './flash.ts';

/** What the encrypted session cookie holds. */
declare module '@fastify/secure-session' {
  interface SessionData {
    adminId: string;
    flash: FlashMessage[];
    oauthPending: PendingAuthorization;
    _csrf: string;
  }
}

export const SESSION_COOKIE = 'prm_sync_session';
/** A session lasts this long after the last page that touched it. */
export const SESSION_HOURS = 12;

/**
 * The cookie key, derived from PRM_SYNC_SECRET_KEY with HKDF (a key of its own: the session key can
 * never decrypt stored secrets). Without the variable, a random key per process: sessions then end on
 * restart and replicas do not share them.
 */
export function sessionKey(secretKey: Buffer | null): { key: Buffer; derived: boolean } {
  if (!secretKey) return { key: randomBytes(32), derived: false };
  return { key: Buffer.from(hkdfSync('sha256', secretKey, 'prm-sync', 'admin-console-session-cookie', 32)), derived: true };
}

export async function registerBrowserSecurity(app: FastifyInstance, config: Config): Promise<void> {
  const https = config.publicUrl.startsWith('https:');
  const { key, derived } = sessionKey(config.secretKey);
  if (!derived) app.log.warn('PRM_SYNC_SECRET_KEY is not set: admin sessions use a random key and end when the process restarts.');

  await app.register(secureSession, {
    sessionName: 'session',
    cookieName: SESSION_COOKIE,
    key,
    expiry: SESSION_HOURS * 3600,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: https },
  });
  await app.register(csrfProtection, {
    sessionPlugin: '@fastify/secure-session',
    // Forms only: the token travels in the body as `_csrf`, never in a cookie or the URL.
    getToken: (request: FastifyRequest) => (request.body as Record<string, unknown> | undefined)?._csrf as string | undefined,
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 15552000, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'same-origin' },
  });

  // Every POST carries the form's CSRF token; checked after the body is parsed, before validation.
  app.addHook('preValidation', (request, reply, done) => {
    if (request.method !== 'POST') {
      done();
      return;
    }
    app.csrfProtection(request, reply, done);
  });
}

/** The CSRF token for the forms of the page being rendered. */
export function csrfToken(reply: FastifyReply): string {
  return reply.generateCsrf();
}
