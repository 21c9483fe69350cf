// OAuth 2.0 endpoints: `/services/oauth2/authorize` (web-server flow, consent given at once as the
// `login_hint` user or the integration user), `/services/oauth2/token` (authorization_code with PKCE,
// password, refresh_token, client_credentials and JWT bearer grants), `/services/oauth2/userinfo`, the
// identity URL `/id/<org>/<user>` and revoke. Errors use Salesforce's `{ error, error_description }` bodies.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { EmulatorReply, EmulatorRequest, RouteModule } from '../contracts.ts';
import type { RouteContext } from '../routes/context.ts';
import { checkJwtAssertion } from './jwt.ts';
import type { EmulatorUser } from './tokens.ts';

function oauthError(error: string, description: string, status = 400): EmulatorReply {
  return { status, body: { error, error_description: description } };
}

function formParams(request: EmulatorRequest): URLSearchParams {
  const params = new URLSearchParams(request.query);
  const type = String(request.headers['content-type'] ?? '');
  if (request.rawBody.length > 0 && !/json/i.test(type)) {
    for (const [key, value] of new URLSearchParams(request.rawBody.toString('utf8'))) params.set(key, value);
  }
  return params;
}

function tokenResponse(ctx: RouteContext, user: EmulatorUser, extra: Record<string, unknown> = {}): EmulatorReply {
  const accessToken = ctx.tokens.issueAccessToken(user.id);
  const issuedAt = String(ctx.org.now);
  const id = `${ctx.baseUrl()}/id/${ctx.org.orgId}/${user.id}`;
  const signature = createHmac('sha256', ctx.org.orgId).update(id + issuedAt).digest('base64');
  return { status: 200, body: { access_token: accessToken, ...extra, signature, instance_url: ctx.baseUrl(), id, token_type: 'Bearer', issued_at: issuedAt } };
}

function checkClient(ctx: RouteContext, params: URLSearchParams, needSecret: boolean): EmulatorReply | undefined {
  const clientId = params.get('client_id');
  if (!clientId || (ctx.oauth.clientId !== undefined && clientId !== ctx.oauth.clientId)) return oauthError('invalid_client_id', 'client identifier invalid');
  const secret = params.get('client_secret');
  if (needSecret && !secret) return oauthError('invalid_client', 'invalid client credentials');
  if (secret && ctx.oauth.clientSecret !== undefined && secret !== ctx.oauth.clientSecret) return oauthError('invalid_client', 'invalid client credentials');
  return undefined;
}

interface PendingCode {
  userId: string;
  clientId: string;
  redirectUri: string;
  challenge: string | null;
}

/** Authorization codes issued by the authorize endpoint; each may be exchanged once. */
const pendingCodes = new WeakMap<RouteContext, Map<string, PendingCode>>();
const codesOf = (ctx: RouteContext) => pendingCodes.get(ctx) ?? pendingCodes.set(ctx, new Map()).get(ctx)!;

function authorize(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const params = request.query;
  const redirectUri = params.get('redirect_uri') ?? '';
  const clientId = params.get('client_id') ?? '';
  if (params.get('response_type') !== 'code') return oauthError('unsupported_response_type', 'response type not supported');
  if (!/^https?:\/\//.test(redirectUri)) return oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
  const back = new URL(redirectUri);
  const state = params.get('state');
  if (state !== null) back.searchParams.set('state', state);
  if (!clientId || (ctx.oauth.clientId !== undefined && clientId !== ctx.oauth.clientId)) {
    back.searchParams.set('error', 'invalid_client_id');
    back.searchParams.set('error_description', 'client identifier invalid');
    return { status: 302, headers: { location: back.toString() } };
  }
  const user = ctx.tokens.userByName(params.get('login_hint') ?? '') ?? ctx.tokens.userById(ctx.oauth.runAsUserId);
  if (!user || !user.active) return oauthError('access_denied', 'end-user denied authorization');
  const code = `aPrx${randomBytes(24).toString('base64url')}`;
  codesOf(ctx).set(code, { userId: user.id, clientId, redirectUri, challenge: params.get('code_challenge') });
  back.searchParams.set('code', code);
  return { status: 302, headers: { location: back.toString() } };
}

function exchangeCode(ctx: RouteContext, params: URLSearchParams): EmulatorReply {
  const clientProblem = checkClient(ctx, params, false);
  if (clientProblem) return clientProblem;
  const code = params.get('code') ?? '';
  const pending = codesOf(ctx).get(code);
  codesOf(ctx).delete(code);
  if (!pending || pending.clientId !== params.get('client_id') || pending.redirectUri !== params.get('redirect_uri')) {
    return oauthError('invalid_grant', 'invalid authorization code');
  }
  if (pending.challenge !== null) {
    const verifier = params.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) return oauthError('invalid_grant', 'invalid code verifier');
  }
  const user = ctx.tokens.userById(pending.userId);
  if (!user || !user.active) return oauthError('invalid_grant', 'authentication failure');
  return tokenResponse(ctx, user, { refresh_token: ctx.tokens.issueRefreshToken(user.id), scope: 'api refresh_token' });
}

function grantToken(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const params = formParams(request);
  const grant = params.get('grant_type');
  switch (grant) {
    case 'authorization_code':
      return exchangeCode(ctx, params);
    case 'password': {
      const clientProblem = checkClient(ctx, params, false);
      if (clientProblem) return clientProblem;
      const user = ctx.tokens.userByName(params.get('username') ?? '');
      if (!user || !user.active || user.password !== params.get('password')) return oauthError('invalid_grant', 'authentication failure');
      return tokenResponse(ctx, user);
    }
    case 'refresh_token': {
      const clientProblem = checkClient(ctx, params, false);
      if (clientProblem) return clientProblem;
      const userId = ctx.tokens.userForRefreshToken(params.get('refresh_token') ?? '');
      const user = userId ? ctx.tokens.userById(userId) : undefined;
      if (!user || !user.active) return oauthError('invalid_grant', 'expired access/refresh token');
      return tokenResponse(ctx, user);
    }
    case 'client_credentials': {
      const clientProblem = checkClient(ctx, params, true);
      if (clientProblem) return clientProblem;
      const user = ctx.tokens.userById(ctx.oauth.runAsUserId);
      if (!user) return oauthError('invalid_grant', 'no client credentials user enabled');
      return tokenResponse(ctx, user);
    }
    case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
      const check = checkJwtAssertion(params.get('assertion') ?? '', ctx.oauth.jwtKey, {
        audiences: [ctx.baseUrl(), 'https://login.salesforce.com', 'https://test.salesforce.com'],
        clientId: ctx.oauth.clientId,
        now: ctx.org.now,
      });
      if (!check.ok) return oauthError(check.error, check.description);
      const user = ctx.tokens.userByName(check.claims.sub);
      if (!user || !user.active) return oauthError('invalid_grant', "user hasn't approved this consumer");
      return tokenResponse(ctx, user);
    }
    default:
      return oauthError('unsupported_grant_type', 'grant type not supported');
  }
}

function bearerUser(ctx: RouteContext, request: EmulatorRequest): EmulatorUser | undefined {
  const header = String(request.headers.authorization ?? '');
  const token = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim())?.[1] ?? request.query.get('oauth_token') ?? '';
  const userId = ctx.tokens.userForAccessToken(token);
  return userId ? ctx.tokens.userById(userId) : undefined;
}

function urls(ctx: RouteContext, user: EmulatorUser): Record<string, string> {
  const base = ctx.baseUrl();
  const org = ctx.org.orgId;
  return {
    enterprise: `${base}/services/Soap/c/{version}/${org}`,
    metadata: `${base}/services/Soap/m/{version}/${org}`,
    partner: `${base}/services/Soap/u/{version}/${org}`,
    rest: `${base}/services/data/v{version}/`,
    sobjects: `${base}/services/data/v{version}/sobjects/`,
    search: `${base}/services/data/v{version}/search/`,
    query: `${base}/services/data/v{version}/query/`,
    recent: `${base}/services/data/v{version}/recent/`,
    tooling_soap: `${base}/services/Soap/T/{version}/${org}`,
    tooling_rest: `${base}/services/data/v{version}/tooling/`,
    profile: `${base}/${user.id}`,
    feeds: `${base}/services/data/v{version}/chatter/feeds`,
    groups: `${base}/services/data/v{version}/chatter/groups`,
    users: `${base}/services/data/v{version}/chatter/users`,
    feed_items: `${base}/services/data/v{version}/chatter/feed-items`,
    feed_elements: `${base}/services/data/v{version}/chatter/feed-elements`,
    custom_domain: base,
  };
}

function userInfo(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const user = bearerUser(ctx, request);
  if (!user) return { status: 403, headers: { 'content-type': 'text/plain' }, body: 'Bad_OAuth_Token' };
  const base = ctx.baseUrl();
  return {
    status: 200,
    body: {
      sub: `${base}/id/${ctx.org.orgId}/${user.id}`, user_id: user.id, organization_id: ctx.org.orgId, preferred_username: user.username,
      nickname: user.alias, name: `${user.firstName} ${user.lastName}`.trim(), email: user.email, email_verified: true, given_name: user.firstName,
      family_name: user.lastName, zoneinfo: 'GMT', photos: { picture: `${base}/profilephoto/005/F`, thumbnail: `${base}/profilephoto/005/T` },
      profile: `${base}/${user.id}`, picture: `${base}/profilephoto/005/F`, address: {}, urls: urls(ctx, user), active: user.active,
      user_type: 'STANDARD', language: 'en_US', locale: 'en_US', utcOffset: 0, updated_at: new Date(ctx.org.now).toISOString().replace(/\.\d{3}Z$/, 'Z'), is_app_installed: true,
    },
  };
}

function identity(ctx: RouteContext, request: EmulatorRequest): EmulatorReply {
  const user = bearerUser(ctx, request);
  if (!user) return { status: 403, headers: { 'content-type': 'text/plain' }, body: 'Bad_OAuth_Token' };
  if (request.params.orgId !== ctx.org.orgId || request.params.userId !== user.id) return { status: 403, headers: { 'content-type': 'text/plain' }, body: 'Bad_Id' };
  const base = ctx.baseUrl();
  return {
    status: 200,
    body: {
      id: `${base}/id/${ctx.org.orgId}/${user.id}`, asserted_user: true, user_id: user.id, organization_id: ctx.org.orgId, username: user.username,
      nick_name: user.alias, display_name: `${user.firstName} ${user.lastName}`.trim(), email: user.email, email_verified: true, first_name: user.firstName,
      last_name: user.lastName, timezone: 'GMT', photos: { picture: `${base}/profilephoto/005/F`, thumbnail: `${base}/profilephoto/005/T` },
      addr_street: null, addr_city: null, addr_state: null, addr_country: null, addr_zip: null, mobile_phone: null, mobile_phone_verified: false,
      is_lightning_login_user: false, status: { created_date: null, body: null }, urls: urls(ctx, user), active: user.active, user_type: 'STANDARD',
      language: 'en_US', locale: 'en_US', utcOffset: 0, last_modified_date: new Date(ctx.org.now).toISOString().replace('Z', '+0000'), is_app_installed: true,
    },
  };
}

export function oauthRoutes(ctx: RouteContext): RouteModule {
  return {
    name: 'oauth',
    routes: [
      { method: 'GET', pattern: '/services/oauth2/authorize', handler: (r) => authorize(ctx, r), auth: false, label: 'oauth.authorize' },
      { method: 'POST', pattern: '/services/oauth2/token', handler: (r) => grantToken(ctx, r), auth: false, label: 'oauth.token' },
      { method: 'GET', pattern: '/services/oauth2/userinfo', handler: (r) => userInfo(ctx, r), auth: false, label: 'oauth.userinfo' },
      { method: 'POST', pattern: '/services/oauth2/userinfo', handler: (r) => userInfo(ctx, r), auth: false, label: 'oauth.userinfo' },
      { method: 'GET', pattern: '/id/:orgId/:userId', handler: (r) => identity(ctx, r), auth: false, label: 'oauth.identity' },
      {
        method: 'POST',
        pattern: '/services/oauth2/revoke',
        handler: (r) => {
          const token = formParams(r).get('token');
          if (token) ctx.tokens.revoke(token);
          return { status: 200 };
        },
        auth: false,
        label: 'oauth.revoke',
      },
    ],
  };
}
