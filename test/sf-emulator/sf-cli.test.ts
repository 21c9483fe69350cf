// The real `sf` CLI (the project's own devDependency) against the emulator: log in with an access token,
// query, validate and deploy metadata, and see a broken field refused. One emulator, commands in
// sequence; every CLI run has a hard timeout and its own HOME so the user's sf config is never touched.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import jsforce from 'jsforce';
import { startEmulator } from './index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const nodeBin = path.join(repoRoot, 'node_modules', '.bin');
const sfEntry = path.join(repoRoot, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
const CLI_TIMEOUT_MS = 120_000;

interface CliRun {
  code: number | null;
  json: { status: number; result?: Record<string, unknown>; message?: string; name?: string };
  stderr: string;
  ms: number;
}

describe('the sf CLI against the emulator', { timeout: 10 * CLI_TIMEOUT_MS }, () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let accessToken: string;
  let workDir: string;
  const timings: string[] = [];

  /** Runs `sf … --json` with a private HOME; resolves with the parsed JSON whatever the exit code. */
  function sf(args: string[], cwd: string = workDir): Promise<CliRun> {
    const home = path.join(workDir, 'home');
    const env: NodeJS.ProcessEnv = {
      PATH: `${nodeBin}${path.delimiter}${process.env.PATH ?? ''}`, // node_modules/.bin/node is Node 22
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
    const started = Date.now();
    emulator.ledger.reset();
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(nodeBin, 'node'), [sfEntry, ...args, '--json'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
        const ms = Date.now() - started;
        timings.push(`sf ${args.slice(0, 3).join(' ')}: ${ms} ms, requests ${JSON.stringify(emulator.ledger.counts())}`);
        if (signal) return reject(new Error(`sf ${args.join(' ')} was killed (${signal}) after ${ms} ms\n${stderr}`));
        try {
          resolve({ code, json: JSON.parse(stdout) as CliRun['json'], stderr, ms });
        } catch {
          reject(new Error(`sf ${args.join(' ')} printed no JSON (exit ${code}):\n${stdout}\n${stderr}`));
        }
      });
    });
  }

  /** Copies a project (sfdx-project.json + force-app) to a fresh directory: the CLI writes .sf/ into it. */
  function projectCopy(name: string, source: string, parts: string[]): string {
    const target = path.join(workDir, name);
    for (const part of parts) cpSync(path.join(source, part), path.join(target, part), { recursive: true });
    return target;
  }

  async function describeFieldNames(objectName: string): Promise<Set<string>> {
    const conn = new jsforce.Connection({ instanceUrl: emulator.url, accessToken, version: '62.0' });
    const described = await conn.sobject(objectName).describe();
    return new Set(described.fields.map((f) => f.name));
  }

  before(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'sf-cli-emulator-'));
    mkdirSync(path.join(workDir, 'home'), { recursive: true });
    mkdirSync(path.join(workDir, 'tmp'), { recursive: true });
    emulator = await startEmulator({ port: 0, seed: 7, size: 20, forceApp: false });
    accessToken = emulator.accessToken;
  });

  after(async () => {
    await emulator?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
    console.log(`sf CLI runs (wall time, emulator requests by ledger label):\n  ${timings.join('\n  ')}`);
  });

  it('logs in with an access token', async () => {
    const run = await sf(['org', 'login', 'access-token', '--instance-url', emulator.url, '--no-prompt', '--alias', 'emu']);
    assert.equal(run.code, 0, JSON.stringify(run.json));
    assert.equal(run.json.result?.orgId, emulator.org.orgId);
    assert.equal(run.json.result?.username, 'integration@prm-sync.test');
  });

  it('runs sf data query', async () => {
    const soql = 'SELECT Id, Name FROM Account LIMIT 5';
    const run = await sf(['data', 'query', '-q', soql, '-o', 'emu']);
    assert.equal(run.code, 0, JSON.stringify(run.json));
    const records = run.json.result?.records as Array<{ Id: string; Name: string }>;
    const expected = emulator.org.query(soql).records;
    assert.equal(records.length, 5);
    assert.deepEqual(records.map((r) => [r.Id, r.Name]), expected.map((r) => [r.Id, r.Name]));
  });

  it('validates a new field without creating it (sf project deploy validate)', async () => {
    const project = projectCopy('validate', path.join(here, 'fixtures', 'new-field-project'), ['sfdx-project.json', 'force-app']);
    const run = await sf(['project', 'deploy', 'validate', '--source-dir', 'force-app', '-o', 'emu'], project);
    assert.equal(run.code, 0, JSON.stringify(run.json));
    assert.equal(run.json.result?.checkOnly, true);
    assert.equal(run.json.result?.status, 'Succeeded');
    assert.ok(!(await describeFieldNames('Account')).has('Emulator_Region__c'), 'a validation must not create the field');
  });

  it('deploys force-app with sf project deploy start; the fields show in describe', async () => {
    const project = projectCopy('force-app-copy', repoRoot, ['sfdx-project.json', '.forceignore', 'force-app']);
    const run = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '-o', 'emu'], project);
    assert.equal(run.code, 0, JSON.stringify(run.json));
    assert.equal(run.json.result?.status, 'Succeeded');
    const files = run.json.result?.files as Array<{ type: string; fullName: string; state: string }>;
    assert.ok(files.some((f) => f.type === 'CustomField' && f.fullName === 'Account.PRM_Id__c' && f.state === 'Created'));
    assert.ok(files.some((f) => f.type === 'RecordType' && f.fullName === 'Account.Partner_Account'));
    assert.ok(files.every((f) => f.state !== 'Failed'));
    const account = await describeFieldNames('Account');
    for (const field of ['PRM_Id__c', 'PRM_Sync__c', 'PRM_Partner_Status__c', 'PRM_Sys_LastUpdated__c']) assert.ok(account.has(field), field);
    assert.ok((await describeFieldNames('Opportunity')).has('PRM_Deal_Id__c'));
  });

  it('deploys a field that is not in force-app', async () => {
    const project = projectCopy('new-field', path.join(here, 'fixtures', 'new-field-project'), ['sfdx-project.json', 'force-app']);
    const run = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '-o', 'emu'], project);
    assert.equal(run.code, 0, JSON.stringify(run.json));
    assert.ok((await describeFieldNames('Account')).has('Emulator_Region__c'));
  });

  it('fails the deploy of an invalid field with a component error and creates nothing', async () => {
    const project = projectCopy('invalid', path.join(here, 'fixtures', 'invalid-field-project'), ['sfdx-project.json', 'force-app']);
    const run = await sf(['project', 'deploy', 'start', '--source-dir', 'force-app', '-o', 'emu'], project);
    assert.equal(run.code, 1, JSON.stringify(run.json));
    assert.equal(run.json.result?.status, 'Failed');
    const files = run.json.result?.files as Array<{ fullName: string; state: string; error?: string; problemType?: string }>;
    const broken = files.find((f) => f.fullName === 'Account.Emulator_Broken_Text__c');
    assert.deepEqual(
      { state: broken?.state, problemType: broken?.problemType, error: broken?.error },
      { state: 'Failed', problemType: 'Error', error: "Must specify 'length' for a CustomField of type Text" },
    );
    const account = await describeFieldNames('Account');
    assert.ok(!account.has('Emulator_Broken_Text__c'));
    assert.ok(!account.has('Emulator_Valid_Sibling__c'), 'all-or-none: the valid sibling is rolled back too');
  });
});
