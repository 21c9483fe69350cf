import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CandidateIndex, deletionVariants } from '../../middleware/matching/blocking.ts';
import { normalizeRecord } from '../../middleware/matching/normalize.ts';
import { prepareRecord } from '../../middleware/matching/prepare.ts';
import { buildTokenStats } from '../../middleware/matching/token-stats.ts';
import type { MatchRecord } from '../../middleware/matching/types.ts';

// 2,000 distractors that share common words, cities and street names with the records looked up.
const syllables = ['ka', 'lo', 'mi', 'ren', 'tor', 'vel', 'sa', 'quin', 'dor', 'fel'];
const industries = ['Solutions', 'Consulting', 'Partners', 'Group', 'Systems'];
const distractors: MatchRecord[] = Array.from({ length: 2000 }, (_, i) => ({
  id: `d${i}`,
  name: `${syllables[i % 10]}${syllables[Math.floor(i / 10) % 10]}${syllables[Math.floor(i / 100) % 10]} ${industries[i % 5]} ${i % 3 === 0 ? 'Inc' : ''}`,
  street: `${100 + (i % 50)} Main Street`,
  city: 'Springfield',
  phone: `217555${String(1000 + i).padStart(4, '0')}`,
}));

function indexWith(extra: MatchRecord[], options = {}) {
  const records = [...distractors, ...extra].map(normalizeRecord);
  const stats = buildTokenStats(records.map((record) => record.name));
  const prepared = records.map((record) => prepareRecord(record, stats));
  const index = new CandidateIndex(prepared, stats, options);
  const lookup = (record: MatchRecord) => index.candidatesFor(prepareRecord(normalizeRecord(record), stats)).map((position) => prepared[position]?.record.id);
  return lookup;
}

const target: MatchRecord = { id: 'target', name: 'Xanelbrook Analytics LLC', street: '4821 Harbor Blvd', city: 'Springfield', phone: '(217) 448-9911', website: 'xanelbrook.io' };

test('a shared distinctive name word finds the record first among thousands', () => {
  const lookup = indexWith([target]);
  assert.equal(lookup({ id: 'q', name: 'Xanelbrook Analytics' })[0], 'target');
});

test('typos, joined words and other names still reach the record', () => {
  const lookup = indexWith([target, { id: 'short', name: 'Xanel Media' }, { id: 'joined', name: 'Schmidt Velin Software' }]);
  const cases: ReadonlyArray<readonly [string, MatchRecord]> = [
    ['target', { id: 'q1', name: 'Xanelbrok Analytics' }],
    ['short', { id: 'q2', name: 'Xael Media' }],
    ['joined', { id: 'q3', name: 'SchmidtVelin Software' }],
    ['target', { id: 'q4', name: 'Completely Different Name', phone: '+1 217 448 9911' }],
    ['target', { id: 'q5', name: 'Completely Different Name', website: 'https://www.xanelbrook.io/contact' }],
    ['target', { id: 'q6', name: 'Completely Different Name', street: '4821 Harbor Boulevard, Suite 9' }],
  ];
  for (const [expected, query] of cases) assert.ok(lookup(query).includes(expected), `${query.id}: ${lookup(query).join(', ')}`);
});

test('candidates are capped, and keys shared by too many records do not flood them', () => {
  const lookup = indexWith([target], { maxCandidates: 7 });
  const candidates = lookup({ id: 'q', name: 'Kaloren Solutions', city: 'Springfield', street: '120 Main Street' });
  assert.equal(candidates.length, 7);
  assert.equal(new Set(candidates).size, 7);
  assert.deepEqual(lookup({ id: 'q', name: 'Solutions' }).length <= 7, true);
  assert.deepEqual(lookup({ id: 'nothing', name: 'Qqqqqq Zzzzzz' }), []);
});

test('blocking limits are validated', () => {
  assert.throws(() => indexWith([], { maxCandidates: 0 }), /at least 1/);
});

test('deletion variants are every one-letter deletion, without duplicates', () => {
  assert.deepEqual(deletionVariants('xael'), ['ael', 'xel', 'xal', 'xae']);
  assert.deepEqual(deletionVariants('lloyd'), ['loyd', 'llyd', 'llod', 'lloy']);
});
