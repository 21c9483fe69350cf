// readAhead: one item fetched while the consumer works on the previous one, order kept, failures raised at
// the item that failed, and an early stop waits for the read in flight and closes the source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { readAhead } from '../../middleware/sync/read-ahead.ts';

function pages(count: number, log: string[], failAt?: number) {
  return {
    closed: false,
    async *[Symbol.asyncIterator]() {
      try {
        for (let i = 1; i <= count; i++) {
          log.push(`fetch ${i} start`);
          await delay(20);
          if (i === failAt) throw new Error(`page ${i} failed`);
          log.push(`fetch ${i} done`);
          yield i;
        }
      } finally {
        this.closed = true;
      }
    },
  };
}

test('the next item is fetched while the consumer works; order is kept; one read at a time', async () => {
  const log: string[] = [];
  const seen: number[] = [];
  for await (const page of readAhead(pages(3, log))) {
    log.push(`apply ${page} start`);
    await delay(50);
    log.push(`apply ${page} done`);
    seen.push(page);
  }
  assert.deepEqual(seen, [1, 2, 3]);
  // Page 2 is fetched during page 1's apply, and page 3 only once the consumer asks for page 2.
  assert.ok(log.indexOf('fetch 2 start') < log.indexOf('apply 1 done'), log.join(', '));
  assert.ok(log.indexOf('fetch 3 start') > log.indexOf('apply 1 done'), log.join(', '));
  assert.ok(log.indexOf('fetch 3 start') < log.indexOf('apply 2 done'), log.join(', '));
  assert.equal(log.filter((line) => line.startsWith('fetch') && line.endsWith('start')).length, 3);
});

test('a failed read is raised when its item is asked for, after the items before it', async () => {
  const seen: number[] = [];
  await assert.rejects(async () => {
    for await (const page of readAhead(pages(5, [], 3))) seen.push(page);
  }, /page 3 failed/);
  assert.deepEqual(seen, [1, 2]);
});

test('a consumer that stops early waits for the read in flight and closes the source', async () => {
  const log: string[] = [];
  const source = pages(5, log);
  await assert.rejects(async () => {
    for await (const page of readAhead(source)) {
      if (page === 2) throw new Error('budget exhausted');
    }
  }, /budget exhausted/);
  assert.equal(source.closed, true);
  assert.equal(log.at(-1), 'fetch 3 done', 'the read ahead finished before the stop returned');
  assert.ok(!log.includes('fetch 4 start'));
});
