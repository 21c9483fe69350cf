// The Salesforce connection as the console manages it. Stored where the sync reads it
// (middleware/salesforce/credentials.ts): the non-secret facts in integration_state, the refresh token
// and the connected app's client secret encrypted in encrypted_secrets. The connected app (login URL and
// consumer key) is kept apart, so an admin can set it up before connecting and keep it on disconnect.
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import { CONNECTION_STATE_KEY, resolveSalesforceCredentials, type StoredConnection } from '../salesforce/credentials.ts';
import { createSecretsRepository, SECRET_NAMES } from '../security/secrets.ts';
import { integrationState } from '../sync/state.ts';

export const OAUTH_APP_STATE_KEY = 'salesforce_oauth_app';

export interface ConsoleConnection extends StoredConnection {
  userId?: string;
  connectedBy?: string;
}

export interface OAuthApp {
  loginUrl: string;
  clientId: string;
  clientSecret?: string;
  /** Where it came from: saved in the console, or SF_LOGIN_URL / SF_CLIENT_ID / SF_CLIENT_SECRET. */
  source: 'console' | 'environment';
}

export interface ConnectionOverview {
  /** Where the sync takes its credentials from. */
  source: 'console' | 'environment' | 'none';
  connection: ConsoleConnection | null;
  app: Omit<OAuthApp, 'clientSecret'> & { hasClientSecret: boolean } | null;
  environmentUser: string | null;
  secretKeyConfigured: boolean;
}

export function createConnectionStore(db: Knex, config: Config) {
  const secrets = createSecretsRepository(db, config.secretKey);
  const env = config.salesforce;

  const store = {
    async connection(): Promise<ConsoleConnection | null> {
      return (await integrationState.get<ConsoleConnection>(db, CONNECTION_STATE_KEY)) ?? null;
    },

    async oauthApp(): Promise<OAuthApp | null> {
      const saved = await integrationState.get<{ loginUrl: string; clientId: string }>(db, OAUTH_APP_STATE_KEY);
      if (saved) return { ...saved, clientSecret: await secrets.get(SECRET_NAMES.salesforceClientSecret), source: 'console' };
      if (env?.clientId) return { loginUrl: env.loginUrl, clientId: env.clientId, clientSecret: env.clientSecret, source: 'environment' };
      return null;
    },

    async overview(): Promise<ConnectionOverview> {
      const connection = await store.connection();
      const names = new Set(await secrets.names());
      const saved = await integrationState.get<{ loginUrl: string; clientId: string }>(db, OAUTH_APP_STATE_KEY);
      const app = saved
        ? { ...saved, source: 'console' as const, hasClientSecret: names.has(SECRET_NAMES.salesforceClientSecret) }
        : env?.clientId
          ? { loginUrl: env.loginUrl, clientId: env.clientId, source: 'environment' as const, hasClientSecret: Boolean(env.clientSecret) }
          : null;
      const environmentUser = env?.username && env.password ? env.username : null;
      return {
        source: connection ? 'console' : environmentUser ? 'environment' : 'none',
        connection,
        app,
        environmentUser,
        secretKeyConfigured: config.secretKey !== null,
      };
    },

    /** The connected app for the web-server flow; a blank secret keeps the stored one. */
    async saveOAuthApp(input: { loginUrl: string; clientId: string; clientSecret?: string }): Promise<void> {
      await db.transaction(async (trx) => {
        if (input.clientSecret) await createSecretsRepository(trx, config.secretKey).put(SECRET_NAMES.salesforceClientSecret, input.clientSecret);
        await integrationState.set(trx, OAUTH_APP_STATE_KEY, { loginUrl: input.loginUrl, clientId: input.clientId });
      });
    },

    async saveConnection(connection: ConsoleConnection, refreshToken: string): Promise<void> {
      await db.transaction(async (trx) => {
        await createSecretsRepository(trx, config.secretKey).put(SECRET_NAMES.salesforceRefreshToken, refreshToken);
        await integrationState.set(trx, CONNECTION_STATE_KEY, connection);
      });
    },

    /** Forgets the connection and its refresh token (returned once, to revoke it); the app stays. */
    async disconnect(): Promise<{ refreshToken?: string; loginUrl?: string }> {
      const connection = await store.connection();
      let refreshToken: string | undefined;
      try {
        refreshToken = await secrets.get(SECRET_NAMES.salesforceRefreshToken);
      } catch {
        refreshToken = undefined; // unreadable under the current key: nothing we could revoke
      }
      await db.transaction(async (trx) => {
        await createSecretsRepository(trx, config.secretKey).delete(SECRET_NAMES.salesforceRefreshToken);
        await integrationState.remove(trx, CONNECTION_STATE_KEY);
      });
      return { refreshToken, loginUrl: connection?.loginUrl };
    },

    /** The connection, the connected app and every Salesforce secret, inside the caller's transaction. */
    async deleteAll(trx: Knex.Transaction): Promise<void> {
      await trx('encrypted_secrets').whereIn('name', Object.values(SECRET_NAMES)).delete();
      await integrationState.remove(trx, CONNECTION_STATE_KEY);
      await integrationState.remove(trx, OAUTH_APP_STATE_KEY);
    },

    credentials() {
      return resolveSalesforceCredentials(config, db);
    },
  };
  return store;
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;
