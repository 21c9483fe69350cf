// From candidate pairs to what the wizard shows: the top suggestions per left record (PRM organization) and a
// one-to-one assignment, whose pairs at or above the threshold are pre-selected. Candidates come from any
// blocking step: the in-memory index (in-memory.ts), or SQL over the stored normalized records.
import type { PreparedRecord } from './prepare.ts';
import { scorePair, scoreValue, validateMatchSettings, type MatchScore, type MatchSettings } from './score.ts';

export const SUGGESTION_LIMIT = 5;

export interface Suggestion extends MatchScore {
  readonly rightId: string;
  /** True for the one suggestion the assignment picked, when it reaches the threshold. */
  readonly preselected: boolean;
}

export interface LeftSuggestions {
  readonly leftId: string;
  /** Best first, at most `SUGGESTION_LIMIT`. */
  readonly suggestions: readonly Suggestion[];
}

export interface AssignedPair {
  readonly leftId: string;
  readonly rightId: string;
  readonly score: number;
}

/** One left record with the right records a blocking step proposed for it. */
export interface CandidateSet {
  readonly left: PreparedRecord;
  readonly candidates: Iterable<PreparedRecord>;
}

interface Ranked {
  readonly right: PreparedRecord;
  readonly score: number;
}

/** Scores every candidate and keeps the best `limit`, best first (ties keep the candidates' order). */
export function rankCandidates(left: PreparedRecord, candidates: Iterable<PreparedRecord>, settings: MatchSettings, limit = SUGGESTION_LIMIT): Ranked[] {
  const ranked: Ranked[] = [];
  for (const right of candidates) {
    const floor = ranked.length === limit ? (ranked[limit - 1]?.score ?? 0) : Number.NEGATIVE_INFINITY;
    const score = scoreValue(left, right, settings.weights, floor);
    if (ranked.length === limit) {
      if (score <= (ranked[limit - 1]?.score ?? 0)) continue;
      ranked.pop();
    }
    let position = ranked.length;
    while (position > 0 && (ranked[position - 1]?.score ?? 0) < score) position--;
    ranked.splice(position, 0, { right, score });
  }
  return ranked;
}

/**
 * Greedy one-to-one assignment: the highest-scoring pair first, then the highest among records still free.
 * Only pairs at or above `threshold` are assigned. Ties keep input order, which carries no meaning.
 */
export function assignOneToOne(pairs: readonly AssignedPair[], threshold: number): AssignedPair[] {
  const sorted = pairs.filter((pair) => pair.score >= threshold).sort((a, b) => b.score - a.score);
  const usedLeft = new Set<string>();
  const usedRight = new Set<string>();
  const assigned: AssignedPair[] = [];
  for (const pair of sorted) {
    if (usedLeft.has(pair.leftId) || usedRight.has(pair.rightId)) continue;
    usedLeft.add(pair.leftId);
    usedRight.add(pair.rightId);
    assigned.push(pair);
  }
  return assigned;
}

export interface MatchResult {
  readonly suggestions: readonly LeftSuggestions[];
  /** Pairs at or above the threshold, one-to-one. */
  readonly assignment: readonly AssignedPair[];
}

export interface MatchOptions {
  /**
   * Build the per-feature explanation of every kept suggestion (default true). Bulk runs that only need
   * scores turn it off; suggestions then carry `features: []`.
   */
  readonly explain?: boolean;
}

/** Ranks each candidate set and explains the kept suggestions; nothing is pre-selected yet. */
export function suggestFor(sets: Iterable<CandidateSet>, settings: MatchSettings, options: MatchOptions = {}): LeftSuggestions[] {
  const explain = options.explain ?? true;
  validateMatchSettings(settings);
  const suggestions: LeftSuggestions[] = [];
  for (const { left, candidates } of sets) {
    suggestions.push({
      leftId: left.record.id,
      suggestions: rankCandidates(left, candidates, settings).map(({ right, score }) => ({
        rightId: right.record.id,
        preselected: false,
        ...(explain ? scorePair(left, right, settings.weights) : { score, features: [] }),
      })),
    });
  }
  return suggestions;
}

/** Assigns one-to-one over all suggestions and pre-selects the assigned ones. */
export function withAssignment(suggestions: readonly LeftSuggestions[], threshold: number): MatchResult {
  const pairs = suggestions.flatMap((entry) => entry.suggestions.map((s) => ({ leftId: entry.leftId, rightId: s.rightId, score: s.score })));
  const assignment = assignOneToOne(pairs, threshold);
  const chosen = new Map(assignment.map((pair) => [pair.leftId, pair.rightId]));
  return {
    suggestions: suggestions.map((entry) => ({
      leftId: entry.leftId,
      suggestions: entry.suggestions.map((s) => ({ ...s, preselected: chosen.get(entry.leftId) === s.rightId })),
    })),
    assignment,
  };
}

/** Ranks each candidate set, assigns one-to-one, and explains the kept suggestions. */
export function matchCandidates(sets: Iterable<CandidateSet>, settings: MatchSettings, options: MatchOptions = {}): MatchResult {
  return withAssignment(suggestFor(sets, settings, options), settings.threshold);
}
