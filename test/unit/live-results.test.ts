// A Bulk job's successes handed over while its results download: in input order, only the leading run of
// successes (a failed row may still be retried), and nothing lost when the job is run again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveOutcome, streamSucceededPrefix } from '../../middleware/salesforce/live-results.ts';
import type { IngestRow, RowSource } from '../../middleware/salesforce/bulk-ingest.ts';
import type { UpsertResult } from '../../middleware/salesforce/writer.ts';

function sourceOf(keys: readonly string[]): RowSource<IngestRow> {
  return {
    count: keys.length,
    async *rows() {
      for (const key of keys) yield { key, values: {} };
    },
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

test('successes are handed over in input order as they arrive, before the job is over', async () => {
  const keys = Array.from({ length: 2500 }, (_, i) => `k${i}`);
  const live = new LiveOutcome();
  const taken: UpsertResult[] = [];
  const handOver = streamSucceededPrefix(sourceOf(keys), live, async (batch) => void taken.push(...batch));
  const outcome = live.attempt();
  // Results arrive out of order within the first 1,500 rows: nothing past a missing key is handed over.
  for (const key of keys.slice(0, 1500).reverse()) outcome.succeeded.set(key, `id-${key}`);
  outcome.created.add('k0');
  live.changed();
  await tick();
  assert.equal(taken.length, 1000, 'one full batch went over while the download was still running');
  assert.deepEqual(taken.slice(0, 2).map((r) => [r.externalId, r.id, r.created, r.success]), [['k0', 'id-k0', true, true], ['k1', 'id-k1', false, true]]);
  for (const key of keys.slice(1500)) outcome.succeeded.set(key, `id-${key}`);
  live.finish();
  await handOver;
  assert.deepEqual(taken.map((r) => r.externalId), keys);
});

test('the hand-over stops at the first row that did not succeed: it comes with the full results', async () => {
  const live = new LiveOutcome();
  const taken: string[] = [];
  const handOver = streamSucceededPrefix(sourceOf(['a', 'b', 'c']), live, async (batch) => void taken.push(...batch.map((r) => r.externalId)));
  const outcome = live.attempt();
  outcome.succeeded.set('a', '001a').set('c', '001c'); // b failed (it may be retried as a locked row)
  live.finish();
  await handOver;
  assert.deepEqual(taken, ['a']);
});

test('a job run again: what the first attempt handed over stays, the rest comes from the second', async () => {
  const live = new LiveOutcome();
  const taken: string[] = [];
  const handOver = streamSucceededPrefix(sourceOf(['a', 'b']), live, async (batch) => void taken.push(...batch.map((r) => `${r.externalId}=${r.id}`)));
  live.attempt().succeeded.set('a', '001a');
  live.changed();
  await tick();
  live.attempt().succeeded.set('a', '001a').set('b', '001b'); // the download failed; the job was run again
  live.finish();
  await handOver;
  assert.deepEqual(taken, ['a=001a', 'b=001b']);
});

test('a job given up: the hand-over ends with what was known, without waiting forever', async () => {
  const live = new LiveOutcome();
  const taken: string[] = [];
  const handOver = streamSucceededPrefix(sourceOf(['a', 'b']), live, async (batch) => void taken.push(...batch.map((r) => r.externalId)));
  await tick();
  live.finish();
  await handOver;
  assert.deepEqual(taken, []);
});
