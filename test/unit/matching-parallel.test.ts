import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchNormalized } from '../../middleware/matching/in-memory.ts';
import { normalizeRecord } from '../../middleware/matching/normalize.ts';
import { matchNormalizedInParallel } from '../../middleware/matching/parallel.ts';
import { DEFAULT_MATCH_SETTINGS } from '../../middleware/matching/score.ts';
import { generatePartnerDataset } from '../../scripts/eval/synthetic-partners.ts';

test('matching on two threads gives exactly the single-thread result', async () => {
  const dataset = generatePartnerDataset({ companies: 5000, seed: 11 });
  const left = dataset.left.map(normalizeRecord);
  const right = dataset.right.map(normalizeRecord);
  assert.ok(left.length >= 4000, 'enough records for two threads');
  const single = matchNormalized(left, right, DEFAULT_MATCH_SETTINGS, { explain: false });
  const parallel = await matchNormalizedInParallel(left, right, DEFAULT_MATCH_SETTINGS, { threads: 2, explain: false });
  assert.deepEqual(parallel, single);
});

test('thread counts are validated', async () => {
  await assert.rejects(matchNormalizedInParallel([], [], DEFAULT_MATCH_SETTINGS, { threads: 0 }), /threads must be a whole number ≥ 1, got 0/);
});

test('bad settings are rejected before any thread starts', async () => {
  await assert.rejects(matchNormalizedInParallel([], [], { ...DEFAULT_MATCH_SETTINGS, threshold: -1 }, { threads: 2 }), /threshold/);
});
