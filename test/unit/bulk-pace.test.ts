// When the Bulk API poller checks a job: from the pace of earlier jobs, from the progress it sees, or
// blind with a growing interval — always within the bounds set, so a wrong guess costs little. A job the
// org finishes sooner than guessed must not sit waiting for a check far off (wall time), nor be checked
// every second (API calls).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBulkPace, firstWait, learnPace, nextWait } from '../../middleware/salesforce/bulk-pace.ts';

const bounds = { intervalMs: 1000, maxIntervalMs: 10_000, maxEstimatedMs: 30_000 };

test('the first check of the first job waits the shortest interval: nothing is known yet', () => {
  assert.equal(firstWait(createBulkPace(), 100_000, bounds), 1000);
});

test('a later job is first checked half way through what the pace seen predicts', () => {
  const pace = { recordsPerSecond: 10_000 };
  // Another object's pace is a guess: an org that takes contacts twice as fast as accounts is not left
  // waiting the whole guess.
  assert.equal(firstWait(pace, 50_000, bounds), 2500, '5 s at 10k records/s, checked at half');
  assert.equal(firstWait(pace, 100, bounds), 1000, 'never sooner than the shortest interval');
  assert.equal(firstWait(pace, 10_000_000, bounds), 30_000, 'never later than the longest estimate');
});

test('after checks that show progress, the next waits for the remaining records at the rate seen', () => {
  // 20k of 100k done in 4 s: at most 5k/s' worth of time left (80k → 16 s, +15 %), as the job's start-up
  // counts in that rate: checked at half of it.
  assert.equal(nextWait({ elapsedMs: 4000, processed: 20_000, total: 100_000 }, 1000, bounds), 9200);
  // Two checks give the rate of the work itself: 30k in the 2 s between them, 50k left → 3.33 s, +15 %.
  const earlier = { elapsedMs: 4000, processed: 20_000, total: 100_000 };
  assert.equal(nextWait({ elapsedMs: 6000, processed: 50_000, total: 100_000 }, 1000, bounds, earlier), 3833);
  // A first check that finds most of the job done: its rate is mostly the work's. 60k in 4 s, 40k left.
  assert.equal(nextWait({ elapsedMs: 4000, processed: 60_000, total: 100_000 }, 1000, bounds), 3067);
  // Nearly done: the remaining few take less than the shortest interval.
  assert.equal(nextWait({ elapsedMs: 4000, processed: 99_990, total: 100_000 }, 1000, bounds), 1000);
  // A slow org: the estimate is capped, so a job that speeds up is not left waiting.
  assert.equal(nextWait({ elapsedMs: 10_000, processed: 100, total: 100_000 }, 1000, bounds), 30_000);
});

test('with no progress to go on, the wait grows by half up to the longest blind wait', () => {
  const none = { elapsedMs: 1000, processed: 0, total: 5000 };
  const waits: number[] = [];
  let wait = 1000;
  for (let i = 0; i < 8; i++) waits.push((wait = nextWait(none, wait, bounds)));
  assert.deepEqual(waits, [1500, 2250, 3375, 5063, 7595, 10_000, 10_000, 10_000]);
});

test('a finished job teaches the pace from its last progress, or bounds it from below', () => {
  const pace = createBulkPace();
  learnPace(pace, null, { elapsedMs: 0, processed: 10, total: 10 });
  assert.equal(pace.recordsPerSecond, null, 'a job done in no measurable time teaches nothing');

  learnPace(pace, { elapsedMs: 2000, processed: 8000, total: 20_000 }, { elapsedMs: 6000, processed: 20_000, total: 20_000 });
  assert.equal(pace.recordsPerSecond, 4000, 'the rate of the work itself, not the idle time after it finished');

  // Found complete at the first check: 1000 records in at most 2 s only says ≥ 500/s, below what we know.
  learnPace(pace, null, { elapsedMs: 2000, processed: 1000, total: 1000 });
  assert.equal(pace.recordsPerSecond, 4000);
  // … but a lower bound above the estimate raises it.
  learnPace(pace, null, { elapsedMs: 1000, processed: 9000, total: 9000 });
  assert.equal(pace.recordsPerSecond, 9000);
});

test('the processing time Salesforce reports for a finished job is the best evidence of its pace', () => {
  const pace = { recordsPerSecond: 9000 };
  // 11,999 of 100k seen after 1 s (the rate of a start-up), but the org reports 4.6 s for the whole job.
  learnPace(pace, { elapsedMs: 1000, processed: 11_999, total: 100_000 }, { elapsedMs: 10_000, processed: 100_000, total: 100_000 }, 4600);
  assert.equal(Math.round(pace.recordsPerSecond ?? 0), 21_739);
  // A report of no time (an org that does not fill it in) falls back to the checks.
  learnPace(pace, { elapsedMs: 2000, processed: 8000, total: 20_000 }, { elapsedMs: 6000, processed: 20_000, total: 20_000 }, 0);
  assert.equal(pace.recordsPerSecond, 4000);
});
