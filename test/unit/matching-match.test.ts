import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchRecords } from '../../middleware/matching/in-memory.ts';
import { assignOneToOne, matchCandidates, rankCandidates, SUGGESTION_LIMIT } from '../../middleware/matching/match.ts';
import { normalizeRecord } from '../../middleware/matching/normalize.ts';
import { prepareRecord } from '../../middleware/matching/prepare.ts';
import { DEFAULT_MATCH_SETTINGS } from '../../middleware/matching/score.ts';
import { buildTokenStats } from '../../middleware/matching/token-stats.ts';
import type { MatchRecord } from '../../middleware/matching/types.ts';

const prm: MatchRecord[] = [
  { id: 'p1', name: 'Acme Widgets Inc.', street: '100 Main St', city: 'Springfield', phone: '217-555-0100' },
  { id: 'p2', name: 'The Northwind Traders', city: 'Seattle', website: 'northwind.com' },
  { id: 'p3', name: 'Contoso Pharmaceuticals GmbH', street: 'Königsallee 27', city: 'Düsseldorf' },
  { id: 'p4', name: 'Zzyzx Unmatched LLC', city: 'Nowhere' },
];
const salesforce: MatchRecord[] = [
  { id: 's1', name: 'ACME WIDGETS', street: '100 Main Street', city: 'Springfield', phone: '(217) 555-0100' },
  { id: 's2', name: 'Northwind Traders, The', city: 'Seattle', website: 'https://www.northwind.com/' },
  { id: 's3', name: 'Contoso Pharmaceuticals', street: 'Koenigsallee 27', city: 'Dusseldorf' },
  { id: 's4', name: 'Acme Widgets Europe', city: 'Springfield' },
  { id: 's5', name: 'Fabrikam Solutions', city: 'Springfield' },
];

test('matchRecords suggests the counterpart first and pre-selects it', () => {
  const result = matchRecords(prm, salesforce, DEFAULT_MATCH_SETTINGS);
  const byLeft = new Map(result.suggestions.map((entry) => [entry.leftId, entry.suggestions]));
  for (const [left, right] of [['p1', 's1'], ['p2', 's2'], ['p3', 's3']]) {
    const first = byLeft.get(left ?? '')?.[0];
    assert.equal(first?.rightId, right, `${left} → ${first?.rightId}`);
    assert.equal(first?.preselected, true);
    assert.ok((first?.score ?? 0) >= DEFAULT_MATCH_SETTINGS.threshold);
    assert.equal(first?.features.length, 6);
  }
  assert.deepEqual(result.assignment.map((pair) => `${pair.leftId}-${pair.rightId}`).sort(), ['p1-s1', 'p2-s2', 'p3-s3']);
  // The runner-up for p1 is shown but not pre-selected; the unmatched record pre-selects nothing.
  assert.ok(byLeft.get('p1')?.some((s) => s.rightId === 's4' && !s.preselected));
  assert.ok(byLeft.get('p4')?.every((s) => !s.preselected));
  for (const entry of result.suggestions) {
    assert.ok(entry.suggestions.length <= SUGGESTION_LIMIT);
    const scores = entry.suggestions.map((s) => s.score);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
  }
});

test('explain: false keeps the scores and drops the explanations', () => {
  const explained = matchRecords(prm, salesforce, DEFAULT_MATCH_SETTINGS);
  const bare = matchRecords(prm, salesforce, DEFAULT_MATCH_SETTINGS, { explain: false });
  assert.deepEqual(bare.assignment, explained.assignment);
  assert.deepEqual(bare.suggestions.map((e) => e.suggestions.map((s) => [s.rightId, s.score])), explained.suggestions.map((e) => e.suggestions.map((s) => [s.rightId, s.score])));
  assert.ok(bare.suggestions.every((entry) => entry.suggestions.every((s) => s.features.length === 0)));
});

test('assignment is one-to-one, greedy by score, and only at or above the threshold', () => {
  const pairs = [
    { leftId: 'a', rightId: 'x', score: 0.9 },
    { leftId: 'b', rightId: 'x', score: 0.95 },
    { leftId: 'a', rightId: 'y', score: 0.8 },
    { leftId: 'c', rightId: 'z', score: 0.5 },
  ];
  assert.deepEqual(assignOneToOne(pairs, 0.7), [{ leftId: 'b', rightId: 'x', score: 0.95 }, { leftId: 'a', rightId: 'y', score: 0.8 }]);
  assert.deepEqual(assignOneToOne(pairs, 0.99), []);
});

test('rankCandidates keeps the best five, best first', () => {
  const records = salesforce.map(normalizeRecord);
  const stats = buildTokenStats(records.map((record) => record.name));
  const left = prepareRecord(normalizeRecord(prm[0] as MatchRecord), stats);
  const many = Array.from({ length: 12 }, (_, i) => prepareRecord({ ...(records[i % records.length] as typeof records[0]), id: `c${i}` }, stats));
  const ranked = rankCandidates(left, many, DEFAULT_MATCH_SETTINGS);
  assert.equal(ranked.length, 5);
  assert.deepEqual(ranked.map((r) => r.score), [...ranked.map((r) => r.score)].sort((a, b) => b - a));
  assert.equal(ranked[0]?.right.record.name, 'acme widgets');
  assert.equal(rankCandidates(left, many, DEFAULT_MATCH_SETTINGS, 2).length, 2);
});

test('candidate sets from another blocking step (SQL) go through the same scoring', () => {
  const stats = buildTokenStats([...prm, ...salesforce].map((record) => normalizeRecord(record).name));
  const prepare = (record: MatchRecord) => prepareRecord(normalizeRecord(record), stats);
  const result = matchCandidates([{ left: prepare(prm[0] as MatchRecord), candidates: salesforce.map(prepare) }], DEFAULT_MATCH_SETTINGS);
  assert.equal(result.suggestions[0]?.suggestions[0]?.rightId, 's1');
  assert.deepEqual(result.assignment.map((pair) => pair.rightId), ['s1']);
});

test('duplicate ids and bad settings are rejected', () => {
  assert.throws(() => matchRecords([{ id: 'a' }, { id: 'a' }], [], DEFAULT_MATCH_SETTINGS), /Duplicate left record id "a"/);
  assert.throws(() => matchRecords([], [{ id: 'b' }, { id: 'b' }], DEFAULT_MATCH_SETTINGS), /Duplicate right record id "b"/);
  assert.throws(() => matchRecords(prm, salesforce, { ...DEFAULT_MATCH_SETTINGS, threshold: 2 }), /threshold/);
  assert.deepEqual(matchRecords([], [], DEFAULT_MATCH_SETTINGS), { suggestions: [], assignment: [] });
});
