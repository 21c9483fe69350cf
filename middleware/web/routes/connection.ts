// /settings/connection: the Salesforce connection. The OAuth 2.0 web-server flow (authorize redirect with
// state + PKCE, callback with the state checked, refresh token stored encrypted), "Test connection",
// disconnect, and "Delete integration" behind a typed confirmation.
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { checkState, authorizeUrl, exchangeCode, fetchIdentity, OAUTH_CALLBACK_PATH, revokeToken, startAuthorization, type PendingAuthorization } from '../../auth/salesforce-oauth.ts';
import { SecretKeyMismatchError, SecretKeyMissingError } from '../../security/secrets.ts';
import { flash } from '../flash.ts';
import { formBody, NoQuery, OptionalText, Text } from '../forms.ts';
import { deleteIntegration } from '../queries/delete-integration.ts';
import { renderPage } from '../render.ts';
import type { ConsoleServices } from '../services.ts';

const OAUTH_SESSION_KEY = 'oauthPending';
export const DELETE_CONFIRMATION = 'DELETE INTEGRATION';
const LOGIN_URLS: Array<[string, string]> = [
  ['https://login.salesforce.com', 'Production / Developer Edition (login.salesforce.com)'],
  ['https://test.salesforce.com', 'Sandbox (test.salesforce.com)'],
];

const AppBody = formBody({ loginUrl: Text(300), customLoginUrl: OptionalText(300), clientId: Text(255), clientSecret: OptionalText(255) });
const CallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 2000 })),
    state: Type.Optional(Type.String({ maxLength: 200 })),
    error: Type.Optional(Type.String({ maxLength: 200 })),
    error_description: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: true },
);
const DeleteBody = formBody({ confirm: Text(100) });

function httpsUrl(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(url.hostname)) ? url.origin : null;
  } catch {
    return null;
  }
}

/** Messages that explain secret-storage problems instead of failing with a stack trace. */
function storageProblem(error: unknown): string | null {
  if (error instanceof SecretKeyMissingError || error instanceof SecretKeyMismatchError) return error.message;
  return null;
}

export async function connectionRoutes(app: FastifyInstance, services: ConsoleServices): Promise<void> {
  const callbackUrl = `${app.config.publicUrl}${OAUTH_CALLBACK_PATH}`;

  app.get('/settings/connection', { schema: { querystring: NoQuery } }, async (request, reply) => {
    let overview;
    let problem: string | null = null;
    try {
      overview = await services.connections.overview();
    } catch (error) {
      problem = storageProblem(error);
      if (!problem) throw error;
    }
    const loginUrl = overview?.app?.loginUrl ?? 'https://login.salesforce.com';
    const known = LOGIN_URLS.some(([url]) => url === loginUrl);
    return renderPage(request, reply, 'connection', { title: 'Connection', section: 'connection' }, {
      overview,
      problem,
      callbackUrl,
      loginUrls: LOGIN_URLS.map(([value, label]) => ({ value, label, selected: value === loginUrl })),
      customLoginUrl: known ? '' : loginUrl,
      customSelected: !known,
      deleteConfirmation: DELETE_CONFIRMATION,
    });
  });

  app.post('/settings/connection/app', { schema: { body: AppBody } }, async (request, reply) => {
    const body = request.body as { loginUrl: string; customLoginUrl?: string; clientId: string; clientSecret?: string };
    const loginUrl = httpsUrl(body.loginUrl === 'custom' ? (body.customLoginUrl ?? '') : body.loginUrl);
    const clientId = body.clientId.trim();
    if (!loginUrl) flash(request, 'error', 'The login URL must be an https:// address such as https://mycompany.my.salesforce.com.');
    else if (!/^[\x21-\x7e]{10,255}$/.test(clientId)) flash(request, 'error', "The consumer key must be the connected app's Consumer Key (10 to 255 visible characters, no spaces).");
    else {
      try {
        await services.connections.saveOAuthApp({ loginUrl, clientId, clientSecret: body.clientSecret?.trim() || undefined });
        flash(request, 'success', 'Connected app saved. Now connect to Salesforce.');
      } catch (error) {
        const problem = storageProblem(error);
        if (!problem) throw error;
        flash(request, 'error', problem);
      }
    }
    return reply.redirect('/settings/connection', 303);
  });

  // A link, not a form: the browser follows the redirect to Salesforce (form-action CSP stays 'self').
  app.get('/settings/connection/oauth/start', { schema: { querystring: NoQuery } }, async (request, reply) => {
    const oauthApp = await services.connections.oauthApp();
    if (!oauthApp) {
      flash(request, 'error', 'Save the connected app (login URL and consumer key) first.');
      return reply.redirect('/settings/connection', 303);
    }
    const pending = startAuthorization(oauthApp.loginUrl);
    request.session.set(OAUTH_SESSION_KEY, pending);
    return reply.redirect(authorizeUrl(pending, oauthApp.clientId, callbackUrl), 302);
  });

  app.get(OAUTH_CALLBACK_PATH, { schema: { querystring: CallbackQuery } }, async (request, reply) => {
    const query = request.query as { code?: string; state?: string; error?: string; error_description?: string };
    const pending = request.session.get(OAUTH_SESSION_KEY) as PendingAuthorization | undefined;
    request.session.set(OAUTH_SESSION_KEY, undefined); // a state is good for one answer only
    const check = checkState(pending, query.state ?? '');
    if (!check.ok) {
      request.log.warn({ reason: 'state' }, 'OAuth callback refused');
      return renderPage(request, reply, 'error', { title: 'Connection refused', section: 'connection', status: 400 }, { heading: 'Connection refused', message: check.reason, details: [] });
    }
    if (query.error || !query.code) {
      flash(request, 'error', `Salesforce did not grant access: ${query.error_description ?? query.error ?? 'no authorization code was returned'}.`);
      return reply.redirect('/settings/connection', 303);
    }
    try {
      const oauthApp = await services.connections.oauthApp();
      if (!oauthApp) throw new Error('The connected app settings disappeared while connecting; save them again.');
      const tokens = await exchangeCode({ loginUrl: (pending as PendingAuthorization).loginUrl, clientId: oauthApp.clientId, clientSecret: oauthApp.clientSecret, code: query.code, redirectUri: callbackUrl, codeVerifier: (pending as PendingAuthorization).codeVerifier });
      if (!tokens.refreshToken) {
        throw new Error('Salesforce returned no refresh token: add the OAuth scope "Perform requests at any time (refresh_token, offline_access)" to the connected app and connect again.');
      }
      const identity = await fetchIdentity(tokens.instanceUrl, tokens.accessToken);
      await services.connections.saveConnection(
        {
          loginUrl: (pending as PendingAuthorization).loginUrl,
          instanceUrl: tokens.instanceUrl,
          clientId: oauthApp.clientId,
          username: identity.username,
          orgId: identity.orgId,
          userId: identity.userId,
          connectedAt: new Date().toISOString(),
          connectedBy: request.admin?.email,
        },
        tokens.refreshToken,
      );
      services.salesforce.reset();
      request.log.info({ orgId: identity.orgId, username: identity.username }, 'Salesforce connected');
      flash(request, 'success', `Connected to Salesforce org ${identity.orgId} as ${identity.username}.`);
    } catch (error) {
      flash(request, 'error', storageProblem(error) ?? `Connecting failed: ${(error as Error).message}`);
    }
    return reply.redirect('/settings/connection', 303);
  });

  app.post('/settings/connection/test', { schema: { body: formBody({}) } }, async (request, reply) => {
    try {
      const result = await services.salesforce.testConnection();
      const usage = result.apiUsage ? `${result.apiUsage.used.toLocaleString('en-US')} of ${result.apiUsage.max.toLocaleString('en-US')} daily API requests used (${Math.round((result.apiUsage.used / Math.max(1, result.apiUsage.max)) * 100)} %)` : 'not reported';
      flash(request, 'success', 'Connection works.', [
        `Org id: ${result.orgId}`,
        `User: ${result.username} (${result.userId})`,
        `Instance: ${result.instanceUrl}`,
        `API version: ${result.apiVersion}${result.latestApiVersion ? ` (the org offers up to ${result.latestApiVersion})` : ''}`,
        `API usage: ${usage}`,
      ]);
    } catch (error) {
      flash(request, 'error', `Connection test failed: ${storageProblem(error) ?? (error as Error).message}`);
    }
    return reply.redirect('/settings/connection', 303);
  });

  app.post('/settings/connection/disconnect', { schema: { body: formBody({}) } }, async (request, reply) => {
    const { refreshToken, loginUrl } = await services.connections.disconnect();
    const revoked = refreshToken && loginUrl ? await revokeToken(loginUrl, refreshToken) : false;
    services.salesforce.reset();
    request.log.info({ admin: request.admin?.email, revoked }, 'Salesforce disconnected');
    flash(request, 'success', `Disconnected from Salesforce${revoked ? ' and revoked the refresh token' : ''}. The connected app settings are kept.`);
    return reply.redirect('/settings/connection', 303);
  });

  app.post('/settings/connection/delete', { schema: { body: DeleteBody } }, async (request, reply) => {
    const { confirm } = request.body as { confirm: string };
    if (confirm.trim() !== DELETE_CONFIRMATION) {
      flash(request, 'error', `Nothing was deleted: type ${DELETE_CONFIRMATION} exactly to confirm.`);
      return reply.redirect('/settings/connection', 303);
    }
    const { refreshToken, loginUrl } = await services.connections.disconnect().catch(() => ({ refreshToken: undefined, loginUrl: undefined }));
    if (refreshToken && loginUrl) await revokeToken(loginUrl, refreshToken);
    const summary = await deleteIntegration(app.db, services.connections, request.admin?.email ?? 'unknown');
    services.salesforce.reset();
    await services.scheduler.reschedule();
    request.log.warn({ admin: request.admin?.email, ...summary }, 'integration deleted');
    flash(request, 'success', `Integration deleted: settings, ${summary.mappings} field mappings, ${summary.links} links and the Salesforce tokens are gone. PRM records were not touched.`);
    return reply.redirect('/settings/connection', 303);
  });
}
