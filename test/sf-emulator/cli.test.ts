// The standalone emulator process (`npm run emulator`): it prints its URL and a ready access token that
// works, and stops cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

test('npm run emulator prints a base URL and a working access token', { timeout: 60_000 }, async () => {
  const child = spawn(path.join(repoRoot, 'node_modules', '.bin', 'node'), ['--import', 'tsx', 'test/sf-emulator/cli.ts', '--port', '0', '--size', '7', '--seed', 'cli'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let output = '';
    const banner = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('access token') && output.includes('\n', output.indexOf('access token'))) resolve(output);
      });
      child.on('exit', (code) => reject(new Error(`emulator exited early with ${code}: ${output}`)));
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
    const token = /access token\s+(\S+)/.exec(banner)?.[1];
    assert.ok(url && token, banner);
    assert.match(banner, /integration@prm-sync\.test \/ emulator/);
    const response = await fetch(`${url}/services/data/v62.0/query?q=${encodeURIComponent('SELECT COUNT() FROM Account')}`, { headers: { authorization: `Bearer ${token}` } });
    assert.deepEqual(await response.json(), { totalSize: 7, done: true, records: [] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
