// The one place that reads process.env: every setting the process needs, validated at start-up.
// A bad value stops start-up with a message naming the variable and the form it expects.
import { SALESFORCE_API_VERSION } from './salesforce/api-version.ts';

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; schema?: string } // schema: isolates test runs in one database
  | { kind: 'pglite'; dataDir: string | null }; // null = in memory

export interface SalesforceEnvConfig {
  loginUrl: string;
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  jwtKeyFile?: string;
  apiVersion: string;
}

export interface Config {
  host: string;
  port: number;
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  database: DatabaseConfig;
  /** 32-byte key for AES-256-GCM; null when not configured (secrets then cannot be stored). */
  secretKey: Buffer | null;
  adminEmail?: string;
  adminPassword?: string;
  apiToken?: string;
  /** Salesforce connection from the environment; null when no SF_ variable is set (demo mode). */
  salesforce: SalesforceEnvConfig | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and validates the environment; throws ConfigError listing every problem at once. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  const port = parsePort(text('PORT') ?? '3000', problems);
  const host = text('HOST') ?? '127.0.0.1';
  const logLevelRaw = text('LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevelRaw)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${logLevelRaw}".`);
  }
  const publicUrl = text('PRM_SYNC_PUBLIC_URL') ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  if (!isHttpUrl(publicUrl)) {
    problems.push(`PRM_SYNC_PUBLIC_URL must be an http(s) URL such as https://prm.example.com; got "${publicUrl}".`);
  }

  const database = parseDatabase(text('DATABASE_URL'), text('PGLITE_DIR'), problems);
  const secretKey = parseSecretKey(text('PRM_SYNC_SECRET_KEY'), problems);

  const adminEmail = text('PRM_SYNC_ADMIN_EMAIL');
  if (adminEmail !== undefined && !/^[^\s@]+@[^\s@]+$/.test(adminEmail)) {
    problems.push(`PRM_SYNC_ADMIN_EMAIL must be an email address; got "${adminEmail}".`);
  }
  const adminPassword = text('PRM_SYNC_ADMIN_PASSWORD');
  if (adminPassword !== undefined && adminPassword.length < 12) {
    problems.push('PRM_SYNC_ADMIN_PASSWORD must be at least 12 characters long.');
  }
  const apiToken = text('PRM_SYNC_API_TOKEN');
  if (apiToken !== undefined && apiToken.length < 24) {
    problems.push('PRM_SYNC_API_TOKEN must be at least 24 characters long (use `openssl rand -hex 24`).');
  }

  const salesforce = parseSalesforce(text, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    host,
    port,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    logLevel: logLevelRaw as Config['logLevel'],
    database,
    secretKey,
    adminEmail,
    adminPassword,
    apiToken,
    salesforce,
  };
}

function parsePort(raw: string, problems: string[]): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    problems.push(`PORT must be a whole number from 0 to 65535; got "${raw}".`);
    return 0;
  }
  return port;
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function parseDatabase(url: string | undefined, pgliteDir: string | undefined, problems: string[]): DatabaseConfig {
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      problems.push('DATABASE_URL must be a PostgreSQL URL such as postgres://user@127.0.0.1:5432/prm; unset it to use embedded PGlite.');
    }
    return { kind: 'postgres', url };
  }
  if (pgliteDir === 'memory') return { kind: 'pglite', dataDir: null };
  return { kind: 'pglite', dataDir: pgliteDir ?? '.data/pglite' };
}

function parseSecretKey(raw: string | undefined, problems: string[]): Buffer | null {
  if (raw === undefined) return null;
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    problems.push('PRM_SYNC_SECRET_KEY must be 32 bytes, as 64 hex characters or base64 (use `openssl rand -hex 32`).');
    return null;
  }
  return key;
}

function parseSalesforce(text: (name: string) => string | undefined, problems: string[]): SalesforceEnvConfig | null {
  const names = ['SF_LOGIN_URL', 'SF_CLIENT_ID', 'SF_CLIENT_SECRET', 'SF_USERNAME', 'SF_PASSWORD', 'SF_JWT_KEY_FILE'];
  if (!names.some((name) => text(name) !== undefined)) return null;
  const loginUrl = text('SF_LOGIN_URL') ?? 'https://login.salesforce.com';
  if (!isHttpUrl(loginUrl)) {
    problems.push(`SF_LOGIN_URL must be an http(s) URL such as https://login.salesforce.com; got "${loginUrl}".`);
  }
  const apiVersion = text('SF_API_VERSION') ?? SALESFORCE_API_VERSION;
  if (!/^\d{2}\.0$/.test(apiVersion)) {
    problems.push(`SF_API_VERSION must look like ${SALESFORCE_API_VERSION}; got "${apiVersion}".`);
  }
  if (text('SF_JWT_KEY_FILE') !== undefined && (text('SF_CLIENT_ID') === undefined || text('SF_USERNAME') === undefined)) {
    problems.push('SF_JWT_KEY_FILE needs SF_CLIENT_ID (the connected app consumer key) and SF_USERNAME as well.');
  }
  return {
    loginUrl: loginUrl.replace(/\/+$/, ''),
    clientId: text('SF_CLIENT_ID'),
    clientSecret: text('SF_CLIENT_SECRET'),
    username: text('SF_USERNAME'),
    password: text('SF_PASSWORD'),
    jwtKeyFile: text('SF_JWT_KEY_FILE'),
    apiVersion,
  };
}
