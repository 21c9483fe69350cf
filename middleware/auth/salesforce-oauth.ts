// OAuth 2.0 web-server flow with Salesforce (authorization code + PKCE): the authorize URL, the state
// that ties the callback to the admin who started it, the code exchange and the identity lookup.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const OAUTH_CALLBACK_PATH = '/settings/connection/oauth/callback';
/** A started flow the callback must finish within this time. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

export interface PendingAuthorization {
  state: string;
  codeVerifier: string;
  loginUrl: string;
  createdAt: number;
}

export function startAuthorization(loginUrl: string, now = Date.now()): PendingAuthorization {
  return { state: randomBytes(32).toString('base64url'), codeVerifier: randomBytes(48).toString('base64url'), loginUrl, createdAt: now };
}

export function authorizeUrl(pending: PendingAuthorization, clientId: string, redirectUri: string): string {
  const url = new URL('/services/oauth2/authorize', pending.loginUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', 'api refresh_token');
  url.searchParams.set('state', pending.state);
  url.searchParams.set('code_challenge', createHash('sha256').update(pending.codeVerifier).digest('base64url'));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('prompt', 'login consent');
  return url.toString();
}

export type StateCheck = { ok: true } | { ok: false; reason: string };

/** The callback's state must be the one this session started, not too old; either way it is used once. */
export function checkState(pending: PendingAuthorization | undefined, received: string, now = Date.now()): StateCheck {
  if (!pending) return { ok: false, reason: 'No connection was started from this browser session (or it was already finished). Start again with "Connect to Salesforce".' };
  const expected = Buffer.from(pending.state);
  const actual = Buffer.from(received);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    return { ok: false, reason: 'The answer from Salesforce does not belong to the connection started here (state mismatch); nothing was stored. Start again with "Connect to Salesforce".' };
  }
  if (now - pending.createdAt > OAUTH_STATE_TTL_MS) return { ok: false, reason: 'The connection attempt took longer than 10 minutes and expired; start again.' };
  return { ok: true };
}

export interface TokenResponse {
  accessToken: string;
  refreshToken?: string;
  instanceUrl: string;
  identityUrl?: string;
}

export class OAuthError extends Error {
  override name = 'OAuthError';
}

async function postForm(url: string, form: Record<string, string>): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Salesforce answers JSON; anything else is reported by status below.
  }
  if (!response.ok) {
    const detail = typeof body.error_description === 'string' ? `${String(body.error)}: ${body.error_description}` : `HTTP ${response.status}`;
    throw new OAuthError(`Salesforce refused the token request (${detail}).`);
  }
  return body;
}

export async function exchangeCode(input: { loginUrl: string; clientId: string; clientSecret?: string; code: string; redirectUri: string; codeVerifier: string }): Promise<TokenResponse> {
  const form: Record<string, string> = {
    grant_type: 'authorization_code',
    code: input.code,
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    code_verifier: input.codeVerifier,
  };
  if (input.clientSecret) form.client_secret = input.clientSecret;
  const body = await postForm(new URL('/services/oauth2/token', input.loginUrl).toString(), form);
  if (typeof body.access_token !== 'string' || typeof body.instance_url !== 'string') throw new OAuthError('Salesforce answered the token request without an access token or instance URL.');
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    instanceUrl: body.instance_url,
    identityUrl: typeof body.id === 'string' ? body.id : undefined,
  };
}

export interface SalesforceIdentity {
  orgId: string;
  userId: string;
  username: string;
}

/** Who the token belongs to, from the OpenID userinfo endpoint of the instance. */
export async function fetchIdentity(instanceUrl: string, accessToken: string): Promise<SalesforceIdentity> {
  const response = await fetch(new URL('/services/oauth2/userinfo', instanceUrl), {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new OAuthError(`Salesforce did not return the connected user (userinfo: HTTP ${response.status}).`);
  const body = (await response.json()) as Record<string, unknown>;
  return {
    orgId: String(body.organization_id ?? ''),
    userId: String(body.user_id ?? ''),
    username: String(body.preferred_username ?? body.email ?? ''),
  };
}

/** Best effort: a revoked refresh token cannot be used again even if a copy leaked. */
export async function revokeToken(loginUrl: string, token: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('/services/oauth2/revoke', loginUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
      signal: AbortSignal.timeout(15_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}
