// A jsforce connection with our guards around it: every call counted in the run's ledger, the org's
// API usage read from `Sforce-Limit-Info`, and the token refreshed once — a 401 that persists after a
// refresh fails the run with a clear message instead of jsforce's endless refresh loop.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import jsforce, { type Connection } from 'jsforce';
import { SALESFORCE_API_VERSION } from './api-version.ts';
import { ApiCallLedger } from './ledger.ts';
import { SessionRefreshFailedError } from './retry.ts';
import { requestJwtSession, type JwtBearerInput } from './jwt-bearer.ts';

export interface SalesforceCredentials {
  loginUrl: string;
  instanceUrl?: string;
  accessToken?: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  /** Username + password (OAuth password grant), used when no tokens are stored yet. */
  username?: string;
  password?: string;
  /** PEM private key for the JWT bearer flow (with clientId and username). */
  jwtPrivateKey?: string;
}

export interface ConnectOptions {
  apiVersion?: string;
  ledger?: ApiCallLedger;
  /** Called with new tokens after a login or refresh, so the caller can store them (encrypted). */
  onTokens?: (tokens: { accessToken: string; instanceUrl: string; refreshToken?: string }) => void | Promise<void>;
}

export interface SalesforceSession {
  conn: Connection;
  ledger: ApiCallLedger;
  apiVersion: string;
  /**
   * A GET whose body reaches the caller as a stream. jsforce reads every answer whole before handing it
   * over, which for a Bulk API job's results (200,000 rows echoing every column) is a 100 MB buffer and as
   * large a string; this one is counted, watched and refreshed on a 401 exactly like jsforce's calls.
   */
  streamGet(path: string): Promise<Readable>;
}

/** An error answer of a streamed GET, shaped like jsforce's (errorCode from the body, or ERROR_HTTP_<status>). */
export class SalesforceHttpError extends Error {
  override name = 'SalesforceHttpError';
  constructor(
    message: string,
    readonly errorCode: string,
    readonly status: number,
  ) {
    super(message);
  }
}

interface RefreshDelegate {
  refresh(since: number): Promise<void>;
}

interface TransportLike {
  httpRequest(request: { method?: string; url?: string }, options?: unknown): Promise<{ statusCode: number; headers: Record<string, string> }>;
}

export async function connectSalesforce(credentials: SalesforceCredentials, options: ConnectOptions = {}): Promise<SalesforceSession> {
  const apiVersion = options.apiVersion ?? SALESFORCE_API_VERSION;
  const ledger = options.ledger ?? new ApiCallLedger();
  const oauth2 = credentials.clientId
    ? new jsforce.OAuth2({ loginUrl: credentials.loginUrl, clientId: credentials.clientId, clientSecret: credentials.clientSecret })
    : undefined;
  const jwt: JwtBearerInput | null =
    credentials.jwtPrivateKey && credentials.clientId && credentials.username
      ? { loginUrl: credentials.loginUrl, clientId: credentials.clientId, username: credentials.username, privateKeyPem: credentials.jwtPrivateKey }
      : null;
  // Consecutive refreshes without a successful answer in between: two means the new token is refused too.
  let refreshesWithoutSuccess = 0;
  const conn = new jsforce.Connection({
    version: apiVersion,
    loginUrl: credentials.loginUrl,
    instanceUrl: credentials.instanceUrl,
    accessToken: credentials.accessToken,
    refreshToken: credentials.refreshToken,
    oauth2,
    refreshFn: async (connection, callback) => {
      refreshesWithoutSuccess += 1;
      if (refreshesWithoutSuccess > 1) {
        callback(new SessionRefreshFailedError('Salesforce refused the session again right after a token refresh (401 INVALID_SESSION_ID). Reconnect the integration in Settings → Connection; check that the integration user is active and the connected app still allows it.'));
        return;
      }
      try {
        if (jwt) {
          // JWT bearer sessions are not refreshed: a new assertion buys a new session.
          const grant = await requestJwtSession(jwt);
          ledger.record('POST', `${credentials.loginUrl}/services/oauth2/token`);
          connection._establish({ instanceUrl: grant.instance_url, accessToken: grant.access_token });
          callback(undefined, grant.access_token);
          return;
        }
        if (!connection.refreshToken || !oauth2) {
          throw new SessionRefreshFailedError('The Salesforce session expired and no refresh token is stored. Reconnect the integration in Settings → Connection.');
        }
        const response = await oauth2.refreshToken(connection.refreshToken);
        ledger.record('POST', `${credentials.loginUrl}/services/oauth2/token`);
        connection._establish({ instanceUrl: response.instance_url, accessToken: response.access_token });
        await options.onTokens?.({ accessToken: response.access_token, instanceUrl: response.instance_url });
        callback(undefined, response.access_token, response);
      } catch (error) {
        callback(error instanceof Error ? error : new Error(String(error)));
      }
    },
  });

  // jsforce routes every REST, Bulk and SOAP call through this transport; wrapping it is the one place
  // that sees them all. The private field is stable across jsforce 3.x (checked by the emulator tests).
  const transport = (conn as unknown as { _transport: TransportLike })._transport;
  const send = transport.httpRequest.bind(transport);
  transport.httpRequest = (request, transportOptions) => {
    ledger.record(request.method ?? 'GET', request.url ?? '');
    const pending = send(request, transportOptions);
    pending.then(
      (response) => {
        ledger.observeLimitHeader(response.headers?.['sforce-limit-info']);
        ledger.observeServerDate(response.headers?.date);
        if (response.statusCode !== 401) refreshesWithoutSuccess = 0;
      },
      () => undefined,
    );
    return pending;
  };

  if (!credentials.accessToken && jwt) {
    const grant = await requestJwtSession(jwt);
    ledger.record('POST', `${credentials.loginUrl}/services/oauth2/token`);
    conn._establish({ instanceUrl: grant.instance_url, accessToken: grant.access_token });
    await options.onTokens?.({ accessToken: grant.access_token, instanceUrl: grant.instance_url });
  } else if (!credentials.accessToken && credentials.refreshToken && oauth2) {
    const response = await oauth2.refreshToken(credentials.refreshToken);
    ledger.record('POST', `${credentials.loginUrl}/services/oauth2/token`);
    conn._establish({ instanceUrl: response.instance_url, accessToken: response.access_token, refreshToken: credentials.refreshToken });
    await options.onTokens?.({ accessToken: response.access_token, instanceUrl: response.instance_url });
  } else if (!credentials.accessToken && credentials.username && credentials.password) {
    if (!oauth2) throw new Error('Salesforce username/password login needs SF_CLIENT_ID (a connected app consumer key).');
    await conn.login(credentials.username, credentials.password);
    ledger.record('POST', `${credentials.loginUrl}/services/oauth2/token`);
    await options.onTokens?.({ accessToken: conn.accessToken ?? '', instanceUrl: conn.instanceUrl, refreshToken: conn.refreshToken ?? undefined });
  }
  if (!conn.accessToken) throw new Error('No Salesforce session: connect the integration (OAuth) or give SF_USERNAME and SF_PASSWORD.');

  const streamGet = async (path: string): Promise<Readable> => {
    // Like jsforce: a 401 refreshes the session through the same refresh function (which refuses a
    // second refresh in a row) and the request goes again.
    for (let attempt = 1; ; attempt++) {
      const startedAt = Date.now();
      const url = new URL(path, conn.instanceUrl).toString();
      ledger.record('GET', url);
      const response = await fetch(url, { headers: { Authorization: `Bearer ${conn.accessToken ?? ''}`, 'Accept-Encoding': 'gzip' } });
      ledger.observeLimitHeader(response.headers.get('sforce-limit-info') ?? undefined);
      ledger.observeServerDate(response.headers.get('date') ?? undefined);
      const delegate = (conn as unknown as { _refreshDelegate?: RefreshDelegate })._refreshDelegate;
      if (response.status === 401 && delegate && attempt <= 2) {
        await response.body?.cancel();
        await delegate.refresh(startedAt);
        continue;
      }
      refreshesWithoutSuccess = 0;
      if (!response.ok || !response.body) throw await httpErrorOf(response, url);
      return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    }
  };
  return { conn, ledger, apiVersion, streamGet };
}

/** Salesforce's error body (`[{errorCode, message}]`) as an error the retry rules understand. */
async function httpErrorOf(response: Response, url: string): Promise<SalesforceHttpError> {
  const text = await response.text().catch(() => '');
  let detail: { errorCode?: unknown; message?: unknown } | undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    detail = (Array.isArray(parsed) ? parsed[0] : parsed) as typeof detail;
  } catch {
    detail = undefined;
  }
  const errorCode = typeof detail?.errorCode === 'string' ? detail.errorCode : `ERROR_HTTP_${response.status}`;
  const message = typeof detail?.message === 'string' ? detail.message : text.slice(0, 300) || response.statusText;
  return new SalesforceHttpError(`Salesforce answered GET ${new URL(url).pathname} with HTTP ${response.status} ${errorCode}: ${message}`, errorCode, response.status);
}

/** `/services/data/vNN.N` for relative REST requests. */
export function restBase(session: SalesforceSession): string {
  return `/services/data/v${session.apiVersion}`;
}
