// Bearer-token authentication for every /api route (RFC 6750): a missing, malformed, unknown or revoked
// token is refused with 401, a `WWW-Authenticate: Bearer` challenge and a message saying which it was.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import type { ApiTokenInfo, ApiTokenRepository } from '../../security/api-tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API token that authenticated this request (set on /api routes). */
    apiToken?: ApiTokenInfo;
  }
}

const REALM = 'prm-sync';

export function bearerAuthentication(tokens: ApiTokenRepository) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    if (header === undefined || header.trim() === '') {
      void reply.header('www-authenticate', `Bearer realm="${REALM}"`);
      throw new AppError(401, 'UNAUTHORIZED', 'Authorization: this API needs a bearer token; send the header "Authorization: Bearer <token>" (PRM_SYNC_API_TOKEN or a token from the admin console).');
    }
    const match = /^Bearer +([\x21-\x7e]{1,512})$/i.exec(header.trim());
    if (!match) {
      void reply.header('www-authenticate', `Bearer realm="${REALM}", error="invalid_request"`);
      throw new AppError(401, 'UNAUTHORIZED', 'Authorization: the header is not of the form "Bearer <token>".');
    }
    const token = await tokens.verify(match[1] as string);
    if (!token) {
      void reply.header('www-authenticate', `Bearer realm="${REALM}", error="invalid_token"`);
      throw new AppError(401, 'INVALID_TOKEN', 'Authorization: the bearer token is not valid or has been revoked.');
    }
    request.apiToken = token;
  };
}
