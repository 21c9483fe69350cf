// The real `sf` CLI (the project's @salesforce/cli devDependency), run the way an admin would for a one-off
// load, against the emulated org: a private HOME so the user's sf configuration is never touched, no
// telemetry or update checks, the access token from SF_ACCESS_TOKEN.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const nodeBin = path.join(repoRoot, 'node_modules', '.bin');
const sfEntry = path.join(repoRoot, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
const CLI_TIMEOUT_MS = 30 * 60_000;

export interface CliRun {
  code: number | null;
  json: { status?: number; result?: Record<string, unknown>; message?: string };
  stderr: string;
  wallMs: number;
}

export function sfCli(workDir: string, accessToken: string) {
  const home = path.join(workDir, 'home');
  for (const dir of [home, path.join(workDir, 'tmp')]) mkdirSync(dir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: `${nodeBin}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    TMPDIR: path.join(workDir, 'tmp'),
    LANG: 'C.UTF-8',
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_ACCESS_TOKEN: accessToken,
  };

  function run(args: string[]): Promise<CliRun> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(nodeBin, 'node'), [sfEntry, ...args, '--json'], { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const wallMs = performance.now() - started;
        if (signal) return reject(new Error(`sf ${args.slice(0, 3).join(' ')} was killed (${signal}) after ${Math.round(wallMs)} ms\n${stderr}`));
        try {
          resolve({ code, json: JSON.parse(stdout) as CliRun['json'], stderr, wallMs });
        } catch {
          reject(new Error(`sf ${args.slice(0, 3).join(' ')} printed no JSON (exit ${code}):\n${stdout.slice(0, 2000)}\n${stderr.slice(0, 2000)}`));
        }
      });
    });
  }

  return {
    async login(instanceUrl: string, alias: string): Promise<CliRun> {
      const result = await run(['org', 'login', 'access-token', '--instance-url', instanceUrl, '--no-prompt', '--alias', alias]);
      if (result.code !== 0) throw new Error(`sf org login access-token failed: ${result.json.message ?? result.stderr}`);
      return result;
    },
    async upsertBulk(alias: string, sobject: string, file: string, externalId: string): Promise<CliRun> {
      const result = await run(['data', 'upsert', 'bulk', '--sobject', sobject, '--file', file, '--external-id', externalId, '--wait', '30', '--line-ending', 'LF', '--target-org', alias]);
      if (result.code !== 0) throw new Error(`sf data upsert bulk (${sobject}) failed: ${result.json.message ?? result.stderr.slice(0, 2000)}`);
      return result;
    },
  };
}
