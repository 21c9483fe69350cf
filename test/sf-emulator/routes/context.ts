// What the emulator's own routes share beyond the EmulatorOrg: tokens, the API allocation, OAuth
// settings, the query cursors and a way to run composite subrequests through the router.
import type { KeyObject } from 'node:crypto';
import type { EmulatorReply, EmulatorRequest } from '../contracts.ts';
import type { TokenStore } from '../auth/tokens.ts';
import type { Faults } from '../http/faults.ts';
import type { ApiUsage } from '../http/ledger.ts';
import type { Org } from '../store/org.ts';
import type { QueryCursors } from './query-cursors.ts';

export interface OAuthSettings {
  /** When set, token requests must name this client id (otherwise any is accepted, as spec §11 says). */
  clientId?: string;
  clientSecret?: string;
  /** The connected app's certificate/public key for the JWT bearer flow. */
  jwtKey?: KeyObject;
  /** The user client_credentials tokens run as. */
  runAsUserId: string;
}

export interface RouteContext {
  org: Org;
  tokens: TokenStore;
  usage: ApiUsage;
  faults: Faults;
  oauth: OAuthSettings;
  cursors: QueryCursors;
  baseUrl(): string;
  latestVersion: string;
  dispatch(request: Omit<EmulatorRequest, 'params'>): EmulatorReply;
}

/** `v62.0` → `62.0`. */
export function versionOf(request: EmulatorRequest): string {
  return (request.params.version ?? 'v62.0').replace(/^v/, '');
}
