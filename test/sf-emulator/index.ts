// startEmulator(): an emulated Salesforce org over HTTP on 127.0.0.1 that the real jsforce and `sf` CLI
// accept. Schema from recorded describes plus our force-app; deterministic seed data; OAuth, REST,
// query, collections and composite routes here, and the Bulk API 2.0 / Metadata API / Tooling API
// modules (./bulk, ./metadata, ./tooling) mounted when present.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RouteModule } from './contracts.ts';
import { publicKeyFrom } from './auth/jwt.ts';
import { oauthRoutes } from './auth/oauth-routes.ts';
import { soapLoginRoutes } from './auth/soap-login.ts';
import { TokenStore, type EmulatorUser } from './auth/tokens.ts';
import { toBase62, idSuffix } from './core/ids.ts';
import { forceAppObjectsDir } from './core/paths.ts';
import { Faults } from './http/faults.ts';
import { ApiUsage, Ledger } from './http/ledger.ts';
import { EmulatorServer } from './http/server.ts';
import { collectionRoutes } from './routes/collections.ts';
import { compositeRoutes } from './routes/composite.ts';
import type { RouteContext } from './routes/context.ts';
import { QueryCursors } from './routes/query-cursors.ts';
import { queryRoutes } from './routes/query.ts';
import { restMetaRoutes } from './routes/rest-meta.ts';
import { restRecordRoutes } from './routes/rest-records.ts';
import { readForceAppObjects } from './schema/force-app.ts';
import { loadStandardDescribes } from './schema/standard-objects.ts';
import { seedData, type SeedCounts } from './seed/generator.ts';
import { seedOrganization, seedUsers, userSpecs, type UserSpec } from './seed/users.ts';
import { Org } from './store/org.ts';

export type { UserSpec } from './seed/users.ts';
export type { FaultRule, FaultMatch, RecordFailureRule, FaultHandle } from './http/faults.ts';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  /** Seed of the deterministic data and of probabilistic faults. */
  seed?: string | number;
  /** Number of seeded accounts (contacts ≈ 1.5×, opportunities ≈ 0.4×); 0 for an empty org. Default 50. */
  size?: number;
  latencyMs?: number;
  jitterMs?: number;
  /** How many sales users to add besides the integration user, or their specs. Default 5. */
  users?: number | UserSpec[];
  /** Daily API requests; default 100,000 + 1,000 per user, as for Enterprise Edition. */
  dailyApiLimit?: number;
  extraModules?: RouteModule[];
  /** Load force-app/main/default/objects (default true), or from another objects folder. */
  forceApp?: boolean | string;
  /** Connected app settings: enforced client id/secret and the JWT bearer certificate (PEM). */
  oauth?: { clientId?: string; clientSecret?: string; jwtCertificate?: string };
  /** The org's clock (date literals, timestamps); default Date.now. */
  now?: () => number;
  /** Newest API version `/services/data` lists. Default 64.0. */
  latestApiVersion?: string;
  /** Mount ./bulk, ./metadata and ./tooling when their files exist (default true). */
  mountOptionalModules?: boolean;
}

export interface RunningEmulator {
  url: string;
  close(): Promise<void>;
  org: Org;
  faults: Faults;
  ledger: Ledger;
  usage: ApiUsage;
  /** A ready access token for the integration user. */
  accessToken: string;
  /** A refresh token for the integration user (as after a web-server OAuth flow). */
  refreshToken: string;
  users: EmulatorUser[];
  integrationUser: EmulatorUser;
  /** Issues a fresh access token for a user (default: the integration user). */
  issueAccessToken(userId?: string): string;
  seeded: SeedCounts;
  /** force-app files the emulator could not load, with the reason. */
  schemaProblems: string[];
}

const OPTIONAL_MODULES: Array<{ file: string; exportName: string }> = [
  { file: './bulk/index.ts', exportName: 'bulkRoutes' },
  { file: './metadata/index.ts', exportName: 'metadataRoutes' },
  { file: './tooling/index.ts', exportName: 'toolingRoutes' },
];

async function optionalModules(): Promise<RouteModule[]> {
  const out: RouteModule[] = [];
  for (const { file, exportName } of OPTIONAL_MODULES) {
    const url = new URL(file, import.meta.url);
    if (!existsSync(fileURLToPath(url))) continue;
    try {
      const module = (await import(url.href)) as Record<string, unknown>;
      const routes = module[exportName] as RouteModule | undefined;
      if (routes && Array.isArray(routes.routes)) out.push(routes);
      else process.stderr.write(`sf-emulator: ${file} does not export ${exportName}; not mounted\n`);
    } catch (error) {
      process.stderr.write(`sf-emulator: could not load ${file}: ${(error as Error).message}\n`);
    }
  }
  return out;
}

function orgIdFor(seed: string | number): string {
  let hash = 7;
  for (const ch of String(seed)) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0;
  const id15 = `00DGm0000${toBase62(hash, 6)}`;
  return id15 + idSuffix(id15);
}

function loadForceApp(org: Org, source: boolean | string | undefined, problems: string[]): void {
  if (source === false) return;
  const dir = typeof source === 'string' ? source : forceAppObjectsDir;
  const found = readForceAppObjects(dir, (file, message) => problems.push(`${file}: ${message}`));
  for (const { recordType, file } of found.recordTypes) {
    try {
      org.upsertRecordType(recordType);
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
    }
  }
  for (const { objectName, field, file } of found.fields) {
    try {
      org.upsertCustomField(objectName, field);
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
    }
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const seed = options.seed ?? 'prm-sync';
  const now = options.now ?? Date.now;
  const org = new Org(loadStandardDescribes(), { now, orgId: orgIdFor(seed) });
  const setupStamp = now() - 400 * 86_400_000;
  const users = seedUsers(org, userSpecs(options.users), setupStamp);
  const integrationUser = users[0] as EmulatorUser;
  org.store.defaultUserId = integrationUser.id;
  seedOrganization(org, integrationUser.id, setupStamp);

  const schemaProblems: string[] = [];
  loadForceApp(org, options.forceApp, schemaProblems);
  for (const problem of schemaProblems) process.stderr.write(`sf-emulator: force-app: ${problem}\n`);
  const seeded = seedData(org, { seed, size: options.size ?? 50, ownerIds: users.filter((u) => u.active).map((u) => u.id), until: now() - 60_000 });

  const tokens = new TokenStore(org.orgId);
  for (const user of users) tokens.addUser(user);
  const ledger = new Ledger();
  const usage = new ApiUsage(options.dailyApiLimit ?? 100_000 + 1_000 * users.length);
  const faults = new Faults(seed, options.latencyMs ?? 0, options.jitterMs ?? 0);
  faults.onExpireAllSessions = () => tokens.expireAllAccessTokens();
  faults.onExhaustApiLimit = () => (usage.used = usage.max);
  org.faults = faults;
  org.userIdForToken = (token) => tokens.userForAccessToken(token);

  const holder: { server?: EmulatorServer } = {};
  const context: RouteContext = {
    org,
    tokens,
    usage,
    faults,
    oauth: {
      clientId: options.oauth?.clientId,
      clientSecret: options.oauth?.clientSecret,
      jwtKey: options.oauth?.jwtCertificate ? publicKeyFrom(options.oauth.jwtCertificate) : undefined,
      runAsUserId: integrationUser.id,
    },
    cursors: new QueryCursors(() => org.store.ids.next('01g')),
    baseUrl: () => holder.server?.url ?? '',
    latestVersion: options.latestApiVersion ?? '64.0',
    dispatch: (request) => (holder.server as EmulatorServer).dispatch(request),
  };
  const own = [oauthRoutes(context), soapLoginRoutes(context), restMetaRoutes(context), restRecordRoutes(context), queryRoutes(context), collectionRoutes(context), compositeRoutes(context)];
  const extra = [...(options.mountOptionalModules === false ? [] : await optionalModules()), ...(options.extraModules ?? [])];
  const server = new EmulatorServer({ org, tokens, ledger, faults, usage }, own, extra);
  holder.server = server;
  const url = await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  org.store.instanceUrl = url;
  return {
    url,
    close: () => server.close(),
    org,
    faults,
    ledger,
    usage,
    accessToken: tokens.issueAccessToken(integrationUser.id),
    refreshToken: tokens.issueRefreshToken(integrationUser.id),
    users,
    integrationUser,
    issueAccessToken: (userId = integrationUser.id) => tokens.issueAccessToken(userId),
    seeded,
    schemaProblems,
  };
}
