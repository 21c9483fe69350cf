// The `npm run metadata:validate` entry point end to end (the one test that runs the sf CLI), its
// failure path on a broken checkout, and the deploy script's refusal to run without a target org.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { formatReport } from '../../scripts/metadata/report.ts';
import { validateMetadata } from '../../scripts/metadata/validate.ts';
import { DEFAULT_DIR, REPO_ROOT, fixture } from './helpers.ts';

test('metadata:validate converts force-app with the sf CLI, runs every check and exits 0', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/validate-metadata.ts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 180_000,
  });
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  const lines = result.stdout.split('\n');
  assert.match(result.stdout, /^ {2}ok {4}sf project convert source succeeds and converts every file — CustomField 19, PermissionSet 2, RecordType 3 in \d+\.\d s$/m);
  assert.equal(lines.filter((line) => line.startsWith('  ok    ')).length, 8);
  assert.equal(lines.filter((line) => /^ {2}(FAIL|skip)/.test(line)).length, 0);
  assert.match(result.stdout, /^Metadata valid: all 8 checks passed\.$/m);
});

test('a broken checkout fails with a report naming the file and the problem', async () => {
  const project = mkdtempSync(path.join(os.tmpdir(), 'prm-sync-metadata-test-'));
  try {
    cpSync(path.join(REPO_ROOT, 'force-app'), path.join(project, 'force-app'), { recursive: true });
    cpSync(path.join(REPO_ROOT, 'sfdx-project.json'), path.join(project, 'sfdx-project.json'));
    const broken = `${DEFAULT_DIR}/objects/Account/fields/PRM_Id__c.field-meta.xml`;
    writeFileSync(path.join(project, broken), fixture('text-without-length.field-meta.xml'));

    const run = await validateMetadata({ projectDir: project, convert: false });
    assert.equal(run.ok, false);
    const report = formatReport(run);
    assert.match(report, /^ {2}skip {2}sf project convert source succeeds and converts every file — skipped \(--skip-convert\)$/m);
    assert.match(report, /^ {2}FAIL {2}each field has the elements its type requires — 19 fields$/m);
    assert.ok(report.includes(`        ${broken}: Text field needs <length> (1–255 characters); it has none.`), report);
    assert.ok(report.includes(`        ${broken}: Account.PRM_Id__c must have <length>36</length> (spec §2); found none.`), report);
    assert.match(report, /^Metadata invalid: 2 problems in 1 file\.$/m);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});

test('metadata:validate rejects unknown arguments with its usage', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/validate-metadata.ts', '--fast'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /Unknown or incomplete argument "--fast"\.\nUsage: npm run metadata:validate/);
});

test('metadata:deploy without an org alias explains how to give one and exits 2', () => {
  const env = { ...process.env };
  delete env.SF_TARGET_ORG;
  const result = spawnSync('bash', ['scripts/deploy-metadata.sh'], { cwd: REPO_ROOT, encoding: 'utf8', env });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^No target org: pass an org alias or set SF_TARGET_ORG\.$/m);
  assert.match(result.stderr, /Usage: npm run metadata:deploy -- \[--validate\] <org-alias>/);
  const twoAliases = spawnSync('bash', ['scripts/deploy-metadata.sh', 'one', 'two'], { cwd: REPO_ROOT, encoding: 'utf8', env });
  assert.equal(twoAliases.status, 2);
  assert.match(twoAliases.stderr, /Only one org alias can be given \(got "one" and "two"\)\./);
});
