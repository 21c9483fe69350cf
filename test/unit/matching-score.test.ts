import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalizeRecord } from '../../middleware/matching/normalize.ts';
import { prepareRecord, type PreparedRecord } from '../../middleware/matching/prepare.ts';
import {
  combineSimilarities, DEFAULT_MATCH_SETTINGS, DEFAULT_MATCH_WEIGHTS, scorePair, scoreValue, validateMatchSettings,
  type FeatureSimilarities, type MatchWeights,
} from '../../middleware/matching/score.ts';
import { nameSimilarity, tokenSimilarity } from '../../middleware/matching/similarity.ts';
import { buildTokenStats, type TokenStats } from '../../middleware/matching/token-stats.ts';
import { MATCH_FEATURES, type MatchRecord } from '../../middleware/matching/types.ts';

const ACME: MatchRecord = {
  id: 'prm-1', name: 'Acme Widgets, Inc.', street: '100 Main Street, Suite 4', city: 'Springfield', postalCode: '62701',
  phone: '(217) 555-0100', website: 'https://www.acmewidgets.com/',
};

// Word frequencies from a small, realistic population: "solutions" and "consulting" are everywhere.
const POPULATION = [
  'Acme Widgets', 'Northwind Solutions', 'Contoso Solutions', 'Fabrikam Solutions', 'Litware Solutions', 'Tailspin Solutions',
  'Zenith Consulting', 'Adatum Consulting', 'Proseware Consulting', 'Wingtip Consulting', 'Lucerne Solutions', 'Alpine Consulting',
];
const stats: TokenStats = buildTokenStats(POPULATION.map((name) => normalizeRecord({ id: name, name }).name));
const prepare = (record: MatchRecord): PreparedRecord => prepareRecord(normalizeRecord(record), stats);
const score = (a: MatchRecord, b: MatchRecord, weights: MatchWeights = DEFAULT_MATCH_WEIGHTS) => scorePair(prepare(a), prepare(b), weights);

test('identical records score 1 and every present feature agrees', () => {
  const result = score(ACME, { ...ACME, id: 'sf-1' });
  assert.equal(result.score, 1);
  assert.deepEqual(result.features.map((f) => f.feature), [...MATCH_FEATURES]);
  for (const feature of result.features) {
    assert.equal(feature.similarity, 1, feature.feature);
    assert.equal(feature.agreed, true, feature.feature);
  }
  assert.ok(Math.abs(result.features.reduce((sum, f) => sum + f.weight, 0) - 1) < 1e-12);
});

test('the same organization written differently still scores near 1', () => {
  const variant: MatchRecord = {
    id: 'sf-2', name: 'ACME WIDGETS', street: '100 Main St.', city: 'springfield', postalCode: '62701-1234',
    phone: '+1 217 555 0100', website: 'acmewidgets.com',
  };
  const result = score(ACME, variant);
  assert.equal(result.score, 1);
});

test('missing fields are missing data, not disagreement', () => {
  const nameOnly = score({ id: 'a', name: 'Acme Widgets' }, { id: 'b', name: 'Acme Widgets Inc' });
  assert.equal(nameOnly.score, 1);
  const phoneOnOneSide = score({ id: 'a', name: 'Acme Widgets', phone: '217 555 0100' }, { id: 'b', name: 'Acme Widgets Inc' });
  assert.equal(phoneOnOneSide.score, 1);
  const phone = phoneOnOneSide.features.find((f) => f.feature === 'phone');
  assert.deepEqual({ ...phone, explanation: undefined }, { feature: 'phone', similarity: 0, weight: 0, agreed: false, explanation: undefined });
  assert.equal(phone?.explanation, 'Phone not compared: missing on the second record');
  assert.equal(score({ id: 'a' }, { id: 'b' }).score, 0);
});

test('weights are renormalized over the features both sides have', () => {
  const result = score({ id: 'a', name: 'Acme Widgets', phone: '217 555 0100' }, { id: 'b', name: 'Zenith Consulting', phone: '217-555-0100' });
  const present = result.features.filter((f) => f.weight > 0).map((f) => f.feature);
  assert.deepEqual(present, ['name', 'phone']);
  const recomputed = result.features.reduce((sum, f) => sum + f.weight * f.similarity, 0);
  assert.ok(Math.abs(recomputed - result.score) < 1e-12);
});

test('scoreValue equals scorePair(...).score', () => {
  const others: MatchRecord[] = [
    { id: '1', name: 'Acme Widget Co', street: '100 Main St', phone: '217-555-0199' },
    { id: '2', name: 'Zenith Consulting', city: 'Springfield', website: 'zenith.io' },
    { id: '3', name: 'Acme', street: '9 Oak Ave', city: 'Chicago', postalCode: '60601', phone: '3125550100', website: 'acme.com' },
  ];
  for (const other of others) assert.equal(scoreValue(prepare(ACME), prepare(other), DEFAULT_MATCH_WEIGHTS), score(ACME, other).score);
});

test('scoreValue with a floor gives up only on pairs that cannot beat it', () => {
  const records = [ACME, { id: '1', name: 'Acme Widget Co', street: '100 Main St', phone: '217-555-0199' },
    { id: '2', name: 'Zenith Consulting', city: 'Springfield', website: 'zenith.io' },
    { id: '3', name: 'Acme', street: '9 Oak Ave', city: 'Chicago', postalCode: '60601', phone: '3125550100', website: 'acme.com' },
    { id: '4', name: 'Northwind Solutions', street: '100 Main Street', city: 'Springfield', phone: '217 555 0100' }].map(prepare);
  fc.assert(fc.property(fc.constantFrom(...records), fc.constantFrom(...records), fc.double({ min: 0, max: 1, noNaN: true }), (a, b, floor) => {
    const full = scoreValue(a, b, DEFAULT_MATCH_WEIGHTS);
    const bounded = scoreValue(a, b, DEFAULT_MATCH_WEIGHTS, floor);
    return full > floor ? bounded === full : bounded <= floor;
  }), { numRuns: 500 });
});

test('explanations say what agreed and what did not', () => {
  const result = score(ACME, { id: 'x', name: 'Acme Widgets Europe', street: '102 Main St', city: 'Springfield', phone: '217-555-0199', website: 'acmewidgets.de' });
  const explanation = Object.fromEntries(result.features.map((f) => [f.feature, f.explanation]));
  assert.match(explanation.name ?? '', /shared words: acme, widgets; words on one side only: europe/);
  assert.match(explanation.street ?? '', /house numbers differ \(100 \/ 102\)/);
  assert.equal(explanation.city, 'Same city (springfield)');
  assert.equal(explanation.postalCode, 'Postal code not compared: missing on the second record');
  assert.equal(explanation.phone, 'Different phone numbers (2175550100 / 2175550199)');
  assert.equal(explanation.website, 'Same website name under different endings (acmewidgets.com / acmewidgets.de)');
  assert.equal(score(ACME, { ...ACME, id: 'y' }).features.find((f) => f.feature === 'phone')?.explanation, 'Same phone number (2175550100)');
});

test('a feature with weight 0 is ignored and says so', () => {
  const weights = { ...DEFAULT_MATCH_WEIGHTS, phone: 0 };
  const result = score(ACME, { ...ACME, id: 'z', phone: '999 999 9999' }, weights);
  assert.equal(result.score, 1);
  assert.equal(result.features.find((f) => f.feature === 'phone')?.explanation, 'Phone not used (weight 0)');
});

test('shared common words count less than shared distinctive words (IDF)', () => {
  const sharedCommonWord = score({ id: 'a', name: 'Northwind Solutions' }, { id: 'b', name: 'Contoso Solutions' }).score;
  const sharedDistinctiveWord = score({ id: 'a', name: 'Northwind Solutions' }, { id: 'b', name: 'Northwind Consulting' }).score;
  assert.ok(sharedCommonWord < 0.3, `common word only: ${sharedCommonWord}`);
  assert.ok(sharedDistinctiveWord > 0.6, `distinctive word: ${sharedDistinctiveWord}`);
});

test('word and name similarity tolerate typos, stems, abbreviations, initials, joined words and acronyms', () => {
  const cases: ReadonlyArray<readonly [string, string, (value: number) => boolean]> = [
    ['solutions', 'solution', (v) => v === 1], ['technologies', 'technology', (v) => v === 1],
    ['falconpoint', 'folconpoint', (v) => v > 0.9], ['phillips', 'phillpis', (v) => v > 0.85], ['deli', 'delicatessen', (v) => v === 0.85],
    ['brightwater', 'brightwood', (v) => v === 0], ['21', '12', (v) => v === 0], ['jo', 'jp', (v) => v === 0],
  ];
  for (const [a, b, ok] of cases) assert.ok(ok(tokenSimilarity(a, b)), `${a} / ${b}: ${tokenSimilarity(a, b)}`);
  const name = (text: string) => prepare({ id: text, name: text }).name;
  assert.equal(nameSimilarity(name('Plumpjack Cafe'), name('Plump Jack Cafe')), 1);
  assert.ok(nameSimilarity(name('IBM'), name('International Business Machines')) > 0.8);
  assert.ok(nameSimilarity(name('J. Smith Consulting'), name('John Smith Consulting')) > 0.8);
  assert.ok(nameSimilarity(name('J. Smith Consulting'), name('Jane Doe Consulting')) < 0.5);
  assert.equal(nameSimilarity(name('Cafe Ritz-Carlton Buckhead'), name('Ritz-Carlton Buckhead Cafe')), 1);
  assert.equal(nameSimilarity(name('Spago'), name('Spago (Los Angeles)')), 1);
});

const similarityArbitrary = fc.double({ min: 0, max: 1, noNaN: true });
const similaritiesArbitrary: fc.Arbitrary<FeatureSimilarities> = fc.record(
  Object.fromEntries(MATCH_FEATURES.map((feature) => [feature, similarityArbitrary])) as Record<(typeof MATCH_FEATURES)[number], fc.Arbitrary<number>>,
  { requiredKeys: [] },
);

test('the combined score is monotone: raising any similarity never lowers it', () => {
  fc.assert(fc.property(similaritiesArbitrary, fc.constantFrom(...MATCH_FEATURES), similarityArbitrary, (similarities, feature, raise) => {
    const before = similarities[feature] ?? 0;
    const lower = combineSimilarities({ ...similarities, [feature]: before }, DEFAULT_MATCH_WEIGHTS);
    const higher = combineSimilarities({ ...similarities, [feature]: before + (1 - before) * raise }, DEFAULT_MATCH_WEIGHTS);
    return higher >= lower - 1e-12;
  }), { numRuns: 2000 });
});

test('the combined score stays within [0, 1] and is 1 when everything present agrees', () => {
  fc.assert(fc.property(similaritiesArbitrary, (similarities) => {
    const value = combineSimilarities(similarities, DEFAULT_MATCH_WEIGHTS);
    const allAgree = combineSimilarities(Object.fromEntries(Object.keys(similarities).map((key) => [key, 1])), DEFAULT_MATCH_WEIGHTS);
    return value >= 0 && value <= 1 && (Object.keys(similarities).length === 0 ? allAgree === 0 : allAgree === 1);
  }), { numRuns: 1000 });
});

test('making one more field agree never lowers the score of a real pair', () => {
  const right: MatchRecord = { id: 'r', name: 'Acme Widget Company', street: '7 Oak Ave', city: 'Chicago', postalCode: '60601', phone: '312 555 0100', website: 'acme.io' };
  let current = right;
  let previous = score(ACME, current).score;
  for (const feature of MATCH_FEATURES) {
    current = { ...current, [feature]: ACME[feature] };
    const next = score(ACME, current).score;
    assert.ok(next >= previous, `after aligning ${feature}: ${next} < ${previous}`);
    previous = next;
  }
  assert.equal(previous, 1);
});

test('scores of arbitrary text stay within [0, 1] and are symmetric', () => {
  const text = fc.string({ maxLength: 40 });
  fc.assert(fc.property(text, text, text, text, (nameA, nameB, streetA, streetB) => {
    const a = prepare({ id: 'a', name: nameA, street: streetA, phone: nameA, website: streetA });
    const b = prepare({ id: 'b', name: nameB, street: streetB, phone: nameB, website: streetB });
    const forward = scoreValue(a, b, DEFAULT_MATCH_WEIGHTS);
    return forward >= 0 && forward <= 1 && Math.abs(forward - scoreValue(b, a, DEFAULT_MATCH_WEIGHTS)) < 1e-12;
  }), { numRuns: 500 });
});

test('settings are validated with precise messages', () => {
  assert.equal(validateMatchSettings(DEFAULT_MATCH_SETTINGS), DEFAULT_MATCH_SETTINGS);
  assert.throws(() => validateMatchSettings({ ...DEFAULT_MATCH_SETTINGS, threshold: 0 }), /threshold must be a number in \(0, 1\], got 0/);
  assert.throws(() => validateMatchSettings({ ...DEFAULT_MATCH_SETTINGS, threshold: 1.5 }), /got 1.5/);
  assert.throws(() => validateMatchSettings({ ...DEFAULT_MATCH_SETTINGS, weights: { ...DEFAULT_MATCH_WEIGHTS, phone: -1 } }), /"phone" must be a finite number ≥ 0, got -1/);
  assert.throws(() => validateMatchSettings({ ...DEFAULT_MATCH_SETTINGS, weights: { ...DEFAULT_MATCH_WEIGHTS, name: Number.NaN } }), /"name"/);
  const zero = Object.fromEntries(MATCH_FEATURES.map((feature) => [feature, 0])) as unknown as MatchWeights;
  assert.throws(() => validateMatchSettings({ ...DEFAULT_MATCH_SETTINGS, weights: zero }), /At least one match weight/);
});
