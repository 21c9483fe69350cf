// Where the Salesforce connection comes from: the SF_* environment (service deployments and the demo),
// or the connection an admin made in Settings → Connection (refresh token stored encrypted).
import { readFileSync } from 'node:fs';
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import { createSecretsRepository, SECRET_NAMES } from '../security/secrets.ts';
import { integrationState } from '../sync/state.ts';
import type { SalesforceCredentials } from './connection.ts';

export const CONNECTION_STATE_KEY = 'salesforce_connection';

/** Non-secret facts of a connection made through OAuth; the secrets live in encrypted_secrets. */
export interface StoredConnection {
  loginUrl: string;
  instanceUrl: string;
  clientId: string;
  username?: string;
  orgId?: string;
  connectedAt: string;
}

export async function resolveSalesforceCredentials(config: Config, db: Knex): Promise<SalesforceCredentials | null> {
  const stored = await integrationState.get<StoredConnection>(db, CONNECTION_STATE_KEY);
  if (stored) {
    const secrets = createSecretsRepository(db, config.secretKey);
    return {
      loginUrl: stored.loginUrl,
      instanceUrl: stored.instanceUrl,
      clientId: stored.clientId,
      clientSecret: await secrets.get(SECRET_NAMES.salesforceClientSecret),
      refreshToken: await secrets.get(SECRET_NAMES.salesforceRefreshToken),
    };
  }
  const env = config.salesforce;
  if (!env) return null;
  return {
    loginUrl: env.loginUrl,
    clientId: env.clientId,
    clientSecret: env.clientSecret,
    username: env.username,
    password: env.password,
    jwtPrivateKey: env.jwtKeyFile ? readKeyFile(env.jwtKeyFile) : undefined,
  };
}

function readKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`SF_JWT_KEY_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); point it at the connected app's PEM private key.`, { cause: error });
  }
}
