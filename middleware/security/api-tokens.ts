// Bearer tokens for the PRM REST API. Only the SHA-256 of a token is stored: a database dump does not
// reveal working tokens. Tokens are long random strings, so a plain hash (no salt, no stretching) is the
// right tool; the lookup by hash also makes the comparison independent of the token's content.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { ApiTokenRow } from '../db/tables.ts';

export const BOOTSTRAP_TOKEN_NAME = 'PRM_SYNC_API_TOKEN (bootstrap)';
/** last_used_at is refreshed at most this often, so authenticated reads do not each cost a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random token: `prm_` + 43 base64url characters (256 bits). */
export function generateApiToken(): string {
  return `prm_${randomBytes(32).toString('base64url')}`;
}

export type ApiTokenInfo = Omit<ApiTokenRow, 'token_hash'>;

export function createApiTokenRepository(db: Knex | Knex.Transaction) {
  const withoutHash = ({ token_hash: _hash, ...info }: ApiTokenRow): ApiTokenInfo => info;

  return {
    /** Creates a token; the plain token is returned this once and never stored. */
    async create(name: string): Promise<{ token: string; info: ApiTokenInfo }> {
      const token = generateApiToken();
      const [row] = await db<ApiTokenRow>('api_tokens').insert({ id: randomUUID(), name: name.trim(), token_hash: hashApiToken(token) }).returning('*');
      return { token, info: withoutHash(row as ApiTokenRow) };
    },

    /**
     * Registers the token given by PRM_SYNC_API_TOKEN (idempotent across restarts and replicas). A token
     * revoked through the admin console stays revoked even though the variable still names it.
     */
    async ensureBootstrap(token: string): Promise<void> {
      await db('api_tokens').insert({ id: randomUUID(), name: BOOTSTRAP_TOKEN_NAME, token_hash: hashApiToken(token) }).onConflict('token_hash').ignore();
    },

    /** The live token this plain token is, or undefined; refreshes last_used_at now and then. */
    async verify(token: string): Promise<ApiTokenInfo | undefined> {
      const row = (await db<ApiTokenRow>('api_tokens').where({ token_hash: hashApiToken(token) }).whereNull('revoked_at').first()) as ApiTokenRow | undefined;
      if (!row) return undefined;
      if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
        await db('api_tokens').where({ id: row.id }).update({ last_used_at: db.fn.now() });
      }
      return withoutHash(row);
    },

    async list(): Promise<ApiTokenInfo[]> {
      return ((await db<ApiTokenRow>('api_tokens').orderBy('created_at')) as ApiTokenRow[]).map(withoutHash);
    },

    /** true when a live token was revoked. */
    async revoke(id: string): Promise<boolean> {
      const count = await db('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
      return count > 0;
    },
  };
}

export type ApiTokenRepository = ReturnType<typeof createApiTokenRepository>;
