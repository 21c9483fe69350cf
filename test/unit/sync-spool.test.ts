// The write spool of deferred Salesforce writes: rows in memory up to a bound, then in a temporary file;
// readable again and again in the order appended; clear() forgets them and removes the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { WriteSpool, type SpooledWrite } from '../../middleware/sync/spool.ts';

const write = (i: number): SpooledWrite => ({ kind: i % 3 === 0 ? 'merge' : 'create', key: `key-${i}`, prmId: `prm-${i}`, prmChangeSeq: i, name: `Partner ${i} “quoted” \\ back`, values: { Name: `Partner ${i}`, Phone: i % 2 ? null : '+1 555', NumberOfEmployees: i } });
const spoolFolders = () => readdirSync(tmpdir()).filter((name) => name.startsWith('prm-sync-spool-'));

async function collect(spool: WriteSpool): Promise<SpooledWrite[]> {
  const out: SpooledWrite[] = [];
  for await (const row of spool.rows()) out.push(row);
  return out;
}

test('small spools stay in memory and read back in order', async () => {
  const before = spoolFolders().length;
  const spool = new WriteSpool(10);
  for (let i = 0; i < 10; i++) spool.append(write(i));
  assert.equal(spool.count, 10);
  assert.equal(spoolFolders().length, before, 'no file for ten rows');
  assert.deepEqual(await collect(spool), Array.from({ length: 10 }, (_, i) => write(i)));
  spool.clear();
  assert.equal(spool.count, 0);
  assert.deepEqual(await collect(spool), []);
});

test('large spools move to a file, read back identically more than once, and clear() removes the file', async () => {
  const before = new Set(spoolFolders());
  const spool = new WriteSpool(100);
  for (let i = 0; i < 2_345; i++) spool.append(write(i));
  const created = spoolFolders().filter((name) => !before.has(name));
  assert.equal(created.length, 1, 'one temporary folder');
  const expected = Array.from({ length: 2_345 }, (_, i) => write(i));
  assert.deepEqual(await collect(spool), expected);
  spool.append(write(2_345)); // appending after a read keeps the order
  assert.deepEqual(await collect(spool), [...expected, write(2_345)]);
  assert.equal(spool.count, 2_346);
  spool.clear();
  assert.equal(existsSync(`${tmpdir()}/${created[0]}`), false);
  assert.deepEqual(await collect(spool), []);
});
