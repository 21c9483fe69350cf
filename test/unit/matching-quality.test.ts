// Quality gate for the matcher: the restaurant benchmark and the committed synthetic partner data, both with
// the default weights and threshold. Rows are shuffled inside the harness; ids are only used for the answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MATCH_SETTINGS } from '../../middleware/matching/score.ts';
import { loadFodorsZagats } from '../../scripts/eval/dataset.ts';
import { evaluateMatching } from '../../scripts/eval/evaluate.ts';
import { FODORS_ZAGATS_DIRECTORY, loadPartnerFixture } from '../../scripts/eval/fixture.ts';

test('fodors-zagats: F1 ≥ 0.99 and top-5 recall 1.0 at the default threshold, in well under 5 s', async () => {
  const started = Date.now();
  const report = await evaluateMatching(loadFodorsZagats(FODORS_ZAGATS_DIRECTORY), DEFAULT_MATCH_SETTINGS);
  assert.equal(report.truePairs, 112);
  assert.ok(report.f1 >= 0.99, `F1 ${report.f1} (precision ${report.precision}, recall ${report.recall})`);
  assert.equal(report.top5Recall, 1);
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
});

test('fodors-zagats: the targets hold for other shuffles of the rows', async () => {
  const dataset = loadFodorsZagats(FODORS_ZAGATS_DIRECTORY);
  for (const seed of [1, 2, 3]) {
    const report = await evaluateMatching(dataset, DEFAULT_MATCH_SETTINGS, { seed });
    assert.ok(report.f1 >= 0.99, `seed ${seed}: F1 ${report.f1}`);
    assert.equal(report.top5Recall, 1, `seed ${seed}`);
  }
});

test('synthetic partner companies: F1 ≥ 0.98 with the same defaults', async () => {
  const report = await evaluateMatching(loadPartnerFixture(), DEFAULT_MATCH_SETTINGS);
  assert.ok(report.truePairs > 400);
  assert.ok(report.f1 >= 0.98, `F1 ${report.f1} (precision ${report.precision}, recall ${report.recall})`);
  assert.ok(report.top5Recall >= 0.99, `top-5 recall ${report.top5Recall}`);
});
