// Secrets at rest (the Salesforce OAuth client secret and refresh token): AES-256-GCM under
// PRM_SYNC_SECRET_KEY, a fresh random 12-byte IV per encryption, the 16-byte tag stored beside it. The
// secret's name is bound in as additional authenticated data, so a ciphertext copied onto another name
// does not decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { EncryptedSecretRow } from '../db/tables.ts';

export const SECRET_NAMES = {
  salesforceClientSecret: 'salesforce.client_secret',
  salesforceRefreshToken: 'salesforce.refresh_token',
} as const;

export interface EncryptedValue {
  ciphertext: string; // base64
  iv: string; // base64, 12 bytes
  tag: string; // base64, 16 bytes
}

const ALGORITHM = 'aes-256-gcm';

export class SecretKeyMismatchError extends Error {
  constructor(
    readonly secretNames: string[],
    readonly keyMissing = false,
  ) {
    super(
      keyMissing
        ? `PRM_SYNC_SECRET_KEY is not set, but encrypted Salesforce secrets are stored (${secretNames.join(', ')}); set the key they were stored with, or disconnect and reconnect the integration.`
        : `PRM_SYNC_SECRET_KEY does not decrypt the stored Salesforce secrets (${secretNames.join(', ')}); restore the previous key or disconnect and reconnect the integration.`,
    );
    this.name = 'SecretKeyMismatchError';
  }
}

export class SecretKeyMissingError extends Error {
  constructor() {
    super('PRM_SYNC_SECRET_KEY is not set, so Salesforce secrets cannot be stored encrypted. Set it to 32 random bytes (`openssl rand -hex 32`) and keep it: the stored secrets can only be read with the same key.');
    this.name = 'SecretKeyMissingError';
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new Error(`AES-256-GCM needs a 32-byte key; got ${key.length} bytes.`);
}

export function encryptSecret(key: Buffer, plaintext: string, associatedData = ''): EncryptedValue {
  checkKey(key);
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { ciphertext: ciphertext.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** Throws when the key is wrong or the value was tampered with (GCM authenticates both). */
export function decryptSecret(key: Buffer, value: EncryptedValue, associatedData = ''): string {
  checkKey(key);
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(value.iv, 'base64'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(Buffer.from(value.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(value.ciphertext, 'base64')), decipher.final()]).toString('utf8');
}

export function createSecretsRepository(db: Knex | Knex.Transaction, key: Buffer | null) {
  const requireKey = (): Buffer => {
    if (!key) throw new SecretKeyMissingError();
    return key;
  };

  return {
    async put(name: string, plaintext: string): Promise<void> {
      const encrypted = encryptSecret(requireKey(), plaintext, name);
      await db('encrypted_secrets')
        .insert({ name, ...encrypted })
        .onConflict('name')
        .merge({ ...encrypted, updated_at: db.fn.now() });
    },

    /** The decrypted secret, or undefined when none is stored under this name. */
    async get(name: string): Promise<string | undefined> {
      const row = (await db<EncryptedSecretRow>('encrypted_secrets').where({ name }).first()) as EncryptedSecretRow | undefined;
      if (!row) return undefined;
      const currentKey = requireKey();
      try {
        return decryptSecret(currentKey, row, name);
      } catch {
        throw new SecretKeyMismatchError([name]);
      }
    },

    async delete(name: string): Promise<boolean> {
      // `returning` rather than the affected-row count: knex-pglite reports deletes as a result object.
      return (await db('encrypted_secrets').where({ name }).delete().returning('name')).length > 0;
    },

    async names(): Promise<string[]> {
      return (await db('encrypted_secrets').select('name').orderBy('name')).map((row: { name: string }) => row.name);
    },
  };
}

export type SecretsRepository = ReturnType<typeof createSecretsRepository>;

/**
 * Called by the server after migrating: every stored secret must decrypt under the configured key, so a
 * lost or rotated key stops start-up with instructions instead of failing the first sync run later.
 */
export async function verifyStoredSecrets(db: Knex, key: Buffer | null): Promise<void> {
  const rows = (await db<EncryptedSecretRow>('encrypted_secrets').select('*').orderBy('name')) as EncryptedSecretRow[];
  if (rows.length === 0) return;
  if (!key) throw new SecretKeyMismatchError(rows.map((row) => row.name), true);
  const unreadable = rows.filter((row) => {
    try {
      decryptSecret(key, row, row.name);
      return false;
    } catch {
      return true;
    }
  });
  if (unreadable.length > 0) throw new SecretKeyMismatchError(unreadable.map((row) => row.name));
}
