// Runs `sf project convert source` (offline: it only reads the project and writes a Metadata API package)
// into a throwaway directory. The CLI runs on the Node running this script, with its own throwaway HOME,
// so neither the developer's ~/.sf state nor a missing HOME changes the result, and nothing is written
// outside the temp directory. Telemetry, auto-update and version checks are off: no network is needed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_DIRECTORY } from './load.ts';

export interface ConvertOutcome {
  readonly ok: boolean;
  readonly durationMs: number;
  /** The CLI's message when it failed. */
  readonly error?: string;
  /** The package.xml it wrote, when it succeeded. */
  readonly manifestXml?: string;
}

const TIMEOUT_MS = 120_000;

/** The `sf` bin script of the @salesforce/cli devDependency (its package exports only dist/index.js). */
function sfRunScript(): string {
  const entry = createRequire(import.meta.url).resolve('@salesforce/cli');
  let dir = path.dirname(entry);
  while (!isCliPackage(dir)) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the @salesforce/cli package around ${entry}`);
    dir = parent;
  }
  return path.join(dir, 'bin', 'run.js');
}

function isCliPackage(dir: string): boolean {
  const manifest = path.join(dir, 'package.json');
  return existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@salesforce/cli';
}

export async function convertSource(projectDir: string): Promise<ConvertOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    return { ok: false, durationMs: 0, error: `the sf CLI needs Node >= 22; this runs on ${process.versions.node}. Use \`npm run metadata:validate\`.` };
  }
  const temp = mkdtempSync(path.join(os.tmpdir(), 'prm-sync-convert-'));
  const home = path.join(temp, 'home');
  const outputDir = path.join(temp, 'mdapi');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    // The CLI's plugins may spawn `sf`/`node` again: make them find this Node and the local binaries first.
    PATH: [path.dirname(process.execPath), path.join(projectDir, 'node_modules', '.bin'), process.env.PATH ?? ''].join(path.delimiter),
  };
  try {
    const args = [sfRunScript(), 'project', 'convert', 'source', '--root-dir', PACKAGE_DIRECTORY, '--output-dir', outputDir, '--json'];
    const { code, stdout, stderr } = await run(process.execPath, args, projectDir, env);
    if (code !== 0) return { ok: false, durationMs: elapsed(), error: cliMessage(stdout, stderr, code) };
    return { ok: true, durationMs: elapsed(), manifestXml: readFileSync(path.join(outputDir, 'package.xml'), 'utf8') };
  } catch (error) {
    return { ok: false, durationMs: elapsed(), error: (error as Error).message };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal) reject(new Error(`sf project convert source was stopped (${signal}) after ${TIMEOUT_MS / 1000} s or by a signal.`));
      else resolve({ code, stdout, stderr });
    });
  });
}

/** The CLI's own error message from its --json output, or its raw output. */
function cliMessage(stdout: string, stderr: string, code: number | null): string {
  try {
    const parsed = JSON.parse(stdout) as { name?: string; message?: string };
    if (parsed.message) return `${parsed.name ? `${parsed.name}: ` : ''}${parsed.message}`;
  } catch {
    // not JSON: fall through to the raw output
  }
  const raw = `${stdout}\n${stderr}`.trim();
  return `exit code ${code}${raw ? `: ${raw.slice(0, 2000)}` : ''}`;
}
