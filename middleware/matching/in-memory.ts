// The whole matching pipeline in memory — normalize, count name words, index the right side, block, score,
// assign — for the quality harness, the benchmark, and data sets that are not stored yet.
import { CandidateIndex, type BlockingOptions } from './blocking.ts';
import { suggestFor, withAssignment, type CandidateSet, type LeftSuggestions, type MatchOptions, type MatchResult } from './match.ts';
import { normalizeRecord } from './normalize.ts';
import { prepareRecord, type PreparedRecord } from './prepare.ts';
import type { MatchSettings } from './score.ts';
import { buildTokenStats, type TokenStats } from './token-stats.ts';
import type { MatchRecord, NormalizedRecord } from './types.ts';

export interface InMemoryMatchOptions extends MatchOptions {
  readonly blocking?: BlockingOptions;
  /** Name-word frequencies; by default counted over both sides. */
  readonly stats?: TokenStats;
}

export function matchRecords(left: readonly MatchRecord[], right: readonly MatchRecord[], settings: MatchSettings, options: InMemoryMatchOptions = {}): MatchResult {
  return matchNormalized(left.map(normalizeRecord), right.map(normalizeRecord), settings, options);
}

export function matchNormalized(left: readonly NormalizedRecord[], right: readonly NormalizedRecord[], settings: MatchSettings, options: InMemoryMatchOptions = {}): MatchResult {
  assertUniqueIds(left, 'left');
  assertUniqueIds(right, 'right');
  const stats = options.stats ?? statsForBothSides(left, right);
  return withAssignment(suggestInMemory(left, right, settings, { ...options, stats }), settings.threshold);
}

export function statsForBothSides(left: readonly NormalizedRecord[], right: readonly NormalizedRecord[]): TokenStats {
  return buildTokenStats([...left, ...right].map((record) => record.name));
}

/** Suggestions for `left` against `right` with the given statistics; no assignment (see `withAssignment`). */
export function suggestInMemory(left: readonly NormalizedRecord[], right: readonly NormalizedRecord[], settings: MatchSettings, options: InMemoryMatchOptions & { readonly stats: TokenStats }): LeftSuggestions[] {
  const { stats } = options;
  const rightPrepared = right.map((record) => prepareRecord(record, stats));
  const index = new CandidateIndex(rightPrepared, stats, options.blocking);
  const sets = function* (): Generator<CandidateSet> {
    for (const record of left) {
      const prepared = prepareRecord(record, stats);
      yield { left: prepared, candidates: index.candidatesFor(prepared).map((position) => rightPrepared[position] as PreparedRecord) };
    }
  };
  return suggestFor(sets(), settings, options);
}

export function assertUniqueIds(records: readonly NormalizedRecord[], side: string): void {
  const seen = new Set<string>();
  for (const record of records) {
    if (seen.has(record.id)) throw new Error(`Duplicate ${side} record id "${record.id}"`);
    seen.add(record.id);
  }
}
