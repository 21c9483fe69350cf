// Start-up guards of the real server process entry (startServer): the stored-secrets key check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../middleware/config.ts';
import { openDatabase } from '../../middleware/db/knex.ts';
import { migrateToLatest } from '../../middleware/db/migrate.ts';
import { createSecretsRepository, SECRET_NAMES, SecretKeyMismatchError } from '../../middleware/security/secrets.ts';
import { startServer } from '../../middleware/server.ts';

test('a server whose PRM_SYNC_SECRET_KEY cannot decrypt the stored secrets refuses to start, saying what to do', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'prm-sync-start-'));
  try {
    const database = openDatabase({ kind: 'pglite', dataDir: dir });
    await migrateToLatest(database.db);
    await createSecretsRepository(database.db, Buffer.alloc(32, 1)).put(SECRET_NAMES.salesforceRefreshToken, 'refresh-me');
    await database.close();
    const config = loadConfig({ PGLITE_DIR: dir, PORT: '0', LOG_LEVEL: 'silent', PRM_SYNC_SECRET_KEY: 'ff'.repeat(32) });
    await assert.rejects(startServer(config), (error: Error) => error instanceof SecretKeyMismatchError && /restore the previous key or disconnect and reconnect/.test(error.message));
    const right = await startServer({ ...config, secretKey: Buffer.alloc(32, 1) });
    const health = await fetch(`${right.url}/healthz`);
    assert.equal(health.status, 200);
    await right.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
