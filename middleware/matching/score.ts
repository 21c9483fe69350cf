// Combines per-feature similarities into one 0–1 match score. A feature missing on either side is missing
// data, not disagreement: its weight is left out and the others are renormalized.
import { explainFeature, explainIgnored } from './explain.ts';
import type { PreparedRecord } from './prepare.ts';
import { featureSimilarity } from './similarity.ts';
import { MATCH_FEATURES, type MatchFeature } from './types.ts';

/** Relative importance of each feature; any non-negative numbers, only their ratios matter. */
export type MatchWeights = { readonly [F in MatchFeature]: number };

export interface MatchSettings {
  readonly weights: MatchWeights;
  /** Suggestions scoring at least this are pre-selected (and count as predicted matches in evaluation). */
  readonly threshold: number;
}

/**
 * The name carries half the evidence; street and phone/website corroborate; city and postal code mostly
 * separate branches of one brand. With these weights every threshold from 0.65 to 0.725 gives F1 ≥ 0.99 on
 * the restaurant benchmark and on freshly generated partner data alike; 0.7 sits in the middle of that range
 * rather than on the best point of any one data set.
 */
export const DEFAULT_MATCH_WEIGHTS: MatchWeights = {
  name: 0.5,
  street: 0.2,
  city: 0.1,
  postalCode: 0.05,
  phone: 0.15,
  website: 0.15,
};

export const DEFAULT_MATCH_THRESHOLD = 0.7;

export const DEFAULT_MATCH_SETTINGS: MatchSettings = { weights: DEFAULT_MATCH_WEIGHTS, threshold: DEFAULT_MATCH_THRESHOLD };

/**
 * How much of its weight a feature keeps when it disagrees completely (similarity 0); in between, the kept
 * share grows linearly with the similarity. Phones, websites and street addresses change (a move, a direct
 * line, a new domain) while the organization stays the same, so their disagreement is weaker evidence than
 * their agreement. Names and cities keep their full weight. Never below 0.5, which keeps the score monotone:
 * a higher similarity on any feature never lowers the score.
 */
export const DISAGREEMENT_WEIGHT_SHARE: { readonly [F in MatchFeature]: number } = {
  name: 1,
  street: 0.5,
  city: 1,
  postalCode: 0.5,
  phone: 0.5,
  website: 0.5,
};

function effectiveWeight(feature: MatchFeature, weight: number, similarity: number): number {
  const share = DISAGREEMENT_WEIGHT_SHARE[feature];
  return weight * (share + (1 - share) * similarity);
}

/** A similarity at or above this reads as "agreed" in explanations. */
export const AGREEMENT_LEVEL = 0.8;

export interface FeatureScore {
  readonly feature: MatchFeature;
  /** 0..1; 0 when the feature is missing on either side. */
  readonly similarity: number;
  /** Share of the final score this feature carried (renormalized; 0 when missing). Σ weight × similarity = score. */
  readonly weight: number;
  readonly agreed: boolean;
  readonly explanation: string;
}

export interface MatchScore {
  readonly score: number;
  readonly features: readonly FeatureScore[];
}

/** Throws a precise error for weights or thresholds a setting page could have saved wrongly. */
export function validateMatchSettings(settings: MatchSettings): MatchSettings {
  for (const feature of MATCH_FEATURES) {
    const weight = settings.weights[feature];
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new RangeError(`Match weight for "${feature}" must be a finite number ≥ 0, got ${String(weight)}`);
    }
  }
  if (!MATCH_FEATURES.some((feature) => settings.weights[feature] > 0)) throw new RangeError('At least one match weight must be greater than 0');
  const { threshold } = settings;
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) {
    throw new RangeError(`Match threshold must be a number in (0, 1], got ${String(threshold)}`);
  }
  return settings;
}

function isPresent(bit: number, left: PreparedRecord, right: PreparedRecord): boolean {
  return (left.present & right.present & (1 << bit)) !== 0;
}

/**
 * The score alone, for ranking many candidate pairs; same value as `scorePair(...).score`. With `floor`,
 * pairs that cannot score above it are given up early — after the name, assuming every other feature agrees
 * (the score is monotone, so that is its upper bound) — and some value ≤ `floor` is returned for them.
 */
export function scoreValue(left: PreparedRecord, right: PreparedRecord, weights: MatchWeights, floor = Number.NEGATIVE_INFINITY): number {
  const both = left.present & right.present;
  let weighted = 0;
  let totalWeight = 0;
  for (let bit = 0; bit < MATCH_FEATURES.length; bit++) {
    const feature = MATCH_FEATURES[bit] as MatchFeature;
    const weight = weights[feature];
    if (weight === 0 || (both & (1 << bit)) === 0) continue;
    const similarity = featureSimilarity(feature, left, right);
    const effective = effectiveWeight(feature, weight, similarity);
    weighted += effective * similarity;
    totalWeight += effective;
    if (feature === 'name' && floor > Number.NEGATIVE_INFINITY) {
      const rest = remainingWeight(both, weights);
      const bound = (weighted + rest) / (totalWeight + rest);
      if (bound <= floor) return bound;
    }
  }
  return totalWeight === 0 ? 0 : weighted / totalWeight;
}

function remainingWeight(both: number, weights: MatchWeights): number {
  let rest = 0;
  for (let bit = 1; bit < MATCH_FEATURES.length; bit++) if ((both & (1 << bit)) !== 0) rest += weights[MATCH_FEATURES[bit] as MatchFeature];
  return rest;
}

/** Similarities of the features known on both sides; absent features are missing data. */
export type FeatureSimilarities = { readonly [F in MatchFeature]?: number };

/**
 * The weighted mean of the given similarities with disagreement-adjusted weights (see
 * `DISAGREEMENT_WEIGHT_SHARE`), renormalized over the features present. 0 when none is present.
 */
export function combineSimilarities(similarities: FeatureSimilarities, weights: MatchWeights): number {
  let weighted = 0;
  let totalWeight = 0;
  for (const feature of MATCH_FEATURES) {
    const similarity = similarities[feature];
    if (similarity === undefined || weights[feature] === 0) continue;
    const effective = effectiveWeight(feature, weights[feature], similarity);
    weighted += effective * similarity;
    totalWeight += effective;
  }
  return totalWeight === 0 ? 0 : weighted / totalWeight;
}

/** The score with a per-feature breakdown and a sentence each, for showing people why. */
export function scorePair(left: PreparedRecord, right: PreparedRecord, weights: MatchWeights): MatchScore {
  const similarities: { [F in MatchFeature]?: number } = {};
  MATCH_FEATURES.forEach((feature, bit) => {
    if (weights[feature] > 0 && isPresent(bit, left, right)) similarities[feature] = featureSimilarity(feature, left, right);
  });
  const totalWeight = MATCH_FEATURES.reduce((total, feature) => {
    const similarity = similarities[feature];
    return similarity === undefined ? total : total + effectiveWeight(feature, weights[feature], similarity);
  }, 0);
  const features = MATCH_FEATURES.map((feature): FeatureScore => {
    const similarity = similarities[feature];
    const weight = similarity === undefined || totalWeight === 0 ? 0 : effectiveWeight(feature, weights[feature], similarity) / totalWeight;
    return {
      feature,
      similarity: similarity ?? 0,
      weight,
      agreed: similarity !== undefined && similarity >= AGREEMENT_LEVEL,
      explanation: weights[feature] === 0 ? explainIgnored(feature) : explainFeature(feature, left, right, similarity ?? 0),
    };
  });
  return { score: combineSimilarities(similarities, weights), features };
}
