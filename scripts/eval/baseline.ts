// The yardstick from the issue: a plain trigram matcher (pg_trgm-style similarity of lower-cased name and
// street, no other normalization), greedy one-to-one, at its own best threshold. Brute force over all pairs,
// so only for data sets of a few thousand records.
import { assignOneToOne, type AssignedPair, type MatchResult } from '../../middleware/matching/match.ts';
import type { MatchRecord } from '../../middleware/matching/types.ts';
import type { EvaluationDataset } from './dataset.ts';
import { measure } from './evaluate.ts';

function trigrams(text: string | null | undefined): Set<string> {
  const grams = new Set<string>();
  for (const word of (text ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)) {
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  }
  return grams;
}

function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared++;
  return shared / (a.size + b.size - shared);
}

const prepare = (record: MatchRecord) => ({ id: record.id, name: trigrams(record.name), street: trigrams(record.street) });

export interface BaselineReport {
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export function evaluateTrigramBaseline(dataset: EvaluationDataset): BaselineReport {
  const left = dataset.left.map(prepare);
  const right = dataset.right.map(prepare);
  const pairs: AssignedPair[] = [];
  for (const l of left) {
    for (const r of right) {
      const name = similarity(l.name, r.name);
      if (name < 0.2) continue;
      const score = l.street.size > 0 && r.street.size > 0 ? 0.7 * name + 0.3 * similarity(l.street, r.street) : name;
      pairs.push({ leftId: l.id, rightId: r.id, score });
    }
  }
  let best: BaselineReport = { threshold: 0, precision: 0, recall: 0, f1: 0 };
  for (let threshold = 0.2; threshold < 0.95; threshold += 0.025) {
    const result: MatchResult = { suggestions: [], assignment: assignOneToOne(pairs, threshold) };
    const { precision, recall, f1 } = measure(dataset, result);
    if (f1 > best.f1) best = { threshold, precision, recall, f1 };
  }
  return best;
}
