import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatasetError, loadCsvDataset, parseColumnMap } from '../../scripts/eval/dataset.ts';
import { measure } from '../../scripts/eval/evaluate.ts';
import { PARTNER_FIXTURE_DIRECTORY, REPOSITORY_ROOT, writePartnerFixture } from '../../scripts/eval/fixture.ts';
import { generatePartnerDataset } from '../../scripts/eval/synthetic-partners.ts';

const directory = mkdtempSync(path.join(tmpdir(), 'eval-matching-'));
const file = (name: string, text: string) => {
  const full = path.join(directory, name);
  writeFileSync(full, text);
  return full;
};
const left = file('left.csv', 'org_id,Org Name,Street,Town,Tel\n1,Acme Widgets Inc.,100 Main St,Springfield,217-555-0100\n2,"Northwind Traders, The",,Seattle,\n3,Lonely Org,,Nowhere,\n');
const right = file('right.csv', 'Id,Org Name,Street,Town,Web\nA,ACME WIDGETS,100 Main Street,Springfield,acme.com\nB,The Northwind Traders,,Seattle,northwind.com\nC,Fabrikam,,Boston,\n');
const truth = file('truth.csv', 'prm,sf\n1,A\n2,B\n');
const map = 'name=Org Name,street=Street,city=Town,phone=Tel,website=Web';

test('--map parsing accepts features and rejects mistakes precisely', () => {
  assert.deepEqual(parseColumnMap('name=NAME, city = CITY'), { name: 'NAME', city: 'CITY' });
  assert.throws(() => parseColumnMap('title=NAME'), /feature "title" is unknown; use name, street, city, postalCode, phone, website/);
  assert.throws(() => parseColumnMap('name'), /"name" must look like feature=COLUMN/);
  assert.throws(() => parseColumnMap('name='), /must look like feature=COLUMN/);
  assert.throws(() => parseColumnMap(' , '), /names no columns/);
});

test('CSV data sets load with a mapping; a column absent from one file is missing data there', () => {
  const dataset = loadCsvDataset({ left, right, truth, map: parseColumnMap(map), idLeft: 'org_id', idRight: 'Id' });
  assert.equal(dataset.left.length, 3);
  assert.deepEqual(dataset.left[0], { id: '1', name: 'Acme Widgets Inc.', street: '100 Main St', city: 'Springfield', phone: '217-555-0100' });
  assert.deepEqual(dataset.right[0], { id: 'A', name: 'ACME WIDGETS', street: '100 Main Street', city: 'Springfield', website: 'acme.com' });
  assert.deepEqual(dataset.truth, [['1', 'A'], ['2', 'B']]);
});

test('CSV problems are reported with the file and column at fault', () => {
  const base = { left, right, truth, map: parseColumnMap(map), idLeft: 'org_id', idRight: 'Id' };
  const fails = (overrides: object, message: RegExp) => assert.throws(() => loadCsvDataset({ ...base, ...overrides }), (error: unknown) => error instanceof DatasetError && message.test(error.message));
  fails({ left: path.join(directory, 'nope.csv') }, /File not found: .*nope\.csv/);
  fails({ idLeft: 'id' }, /left\.csv has no id column "id" \(columns: org_id, Org Name, Street, Town, Tel\)/);
  fails({ map: parseColumnMap('name=Title') }, /Column "Title" \(mapped to name\) is in neither/);
  fails({ truth: file('bad-truth.csv', 'prm,sf\n1,Z\n') }, /bad-truth\.csv row 2: right id "Z" is not in the right file/);
  fails({ truth: file('one-column.csv', 'prm\n1\n') }, /needs two columns/);
  const nameOnly = parseColumnMap('name=Org Name');
  fails({ left: file('dupes.csv', 'org_id,Org Name\n1,A\n1,B\n'), map: nameOnly }, /repeats id "1" \(row 3\)/);
  fails({ left: file('blank-id.csv', 'org_id,Org Name\n,A\n'), map: nameOnly }, /blank-id\.csv row 2 has an empty "org_id"/);
  fails({ left: file('broken.csv', 'org_id,Org Name\n1,"unclosed\n'), map: nameOnly }, /Cannot parse .*broken\.csv as CSV/);
});

test('measure counts precision, recall, F1 and top-5 recall', () => {
  const dataset = { label: 't', left: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], right: [{ id: 'x' }, { id: 'y' }, { id: 'z' }], truth: [['a', 'x'], ['b', 'y'], ['c', 'z']] as const };
  const suggestion = (rightId: string, score: number) => ({ rightId, score, preselected: false, features: [] });
  const result = {
    suggestions: [
      { leftId: 'a', suggestions: [suggestion('x', 0.9)] },
      { leftId: 'b', suggestions: [suggestion('z', 0.8), suggestion('y', 0.7)] },
      { leftId: 'c', suggestions: [] },
    ],
    assignment: [{ leftId: 'a', rightId: 'x', score: 0.9 }, { leftId: 'b', rightId: 'z', score: 0.8 }],
  };
  const measured = measure(dataset, result);
  assert.deepEqual([measured.truePositives, measured.falsePositives, measured.falseNegatives], [1, 1, 2]);
  assert.equal(measured.precision, 0.5);
  assert.equal(measured.recall, 1 / 3);
  assert.ok(Math.abs(measured.f1 - 0.4) < 1e-12);
  assert.equal(measured.top5Recall, 2 / 3);
  assert.deepEqual(measured.errors.falseNegatives.map((pair) => [pair.left.id, pair.score]), [['b', 0.7], ['c', null]]);
});

test('the synthetic generator is deterministic and never leaks answers through ids or order', () => {
  const first = generatePartnerDataset({ companies: 300, seed: 5 });
  assert.deepEqual(generatePartnerDataset({ companies: 300, seed: 5 }), first);
  assert.notDeepEqual(generatePartnerDataset({ companies: 300, seed: 6 }).left, first.left);
  const leftPosition = new Map(first.left.map((record, index) => [record.id, index]));
  const rightPosition = new Map(first.right.map((record, index) => [record.id, index]));
  const samePosition = first.truth.filter(([l, r]) => leftPosition.get(l) === rightPosition.get(r)).length;
  assert.ok(samePosition < first.truth.length * 0.05, `${samePosition} true pairs sit at the same position`);
  assert.throws(() => generatePartnerDataset({ companies: 0 }), /positive integer/);
});

function runCli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(REPOSITORY_ROOT, 'scripts/eval-matching.ts'), ...args], { encoding: 'utf8', cwd: REPOSITORY_ROOT });
}

test('npm run eval:matching -- --left/--right/--truth/--map --json prints machine-readable figures', () => {
  const run = runCli('--left', left, '--right', right, '--truth', truth, '--map', map, '--id-left', 'org_id', '--id-right', 'Id', '--json');
  assert.equal(run.status, 0, run.stderr);
  const [outcome] = JSON.parse(run.stdout) as Array<{ report: Record<string, number> }>;
  assert.equal(outcome?.report.truePairs, 2);
  assert.equal(outcome?.report.f1, 1);
  assert.equal(outcome?.report.top5Recall, 1);
  assert.equal(outcome?.report.threshold, 0.7);
});

test('the harness CLI fails clearly on bad input', () => {
  const missing = runCli('--left', path.join(directory, 'missing.csv'), '--right', right, '--truth', truth);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /eval:matching: File not found: .*missing\.csv/);
  const partial = runCli('--left', left);
  assert.match(partial.stderr, /--left, --right and --truth go together/);
  assert.match(runCli('--threshold', 'abc').stderr, /--threshold needs a number, got "abc"/);
  assert.match(runCli('--threshold', '0').stderr, /threshold must be a number in \(0, 1\]/);
  assert.match(runCli('--bogus').stderr, /eval:matching: Unknown option '--bogus'/);
});

test('the committed synthetic fixture is what the generator produces (regenerate with --write-fixture)', () => {
  const fresh = mkdtempSync(path.join(tmpdir(), 'partner-fixture-'));
  writePartnerFixture(fresh);
  for (const name of ['partners-prm.csv', 'partners-salesforce.csv', 'partners-truth.csv']) {
    assert.equal(readFileSync(path.join(fresh, name), 'utf8'), readFileSync(path.join(PARTNER_FIXTURE_DIRECTORY, name), 'utf8'), name);
  }
});
