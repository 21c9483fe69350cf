// Turns a normalized record into the token arrays and weights the scorer compares. Done once per record per
// matching run, so scoring a pair allocates little (it runs millions of times in the 100k benchmark).
import type { WordList } from './similarity.ts';
import { inverseDocumentFrequency, nameTokens, stemToken, type TokenStats } from './token-stats.ts';
import { MATCH_FEATURES, type NormalizedRecord } from './types.ts';
import { DIRECTIONS, STREET_TYPES } from './vocabulary.ts';

/** Words with their stems and a weight each; `total` is the sum of the weights. */
export interface WeightedTokens extends WordList {
  readonly weights: readonly number[];
  readonly total: number;
}

export interface PreparedCity {
  readonly name: string;
  readonly tokens: readonly string[];
  /** Without spaces, for spelling comparisons. */
  readonly compact: string;
}

export interface PreparedStreet extends WeightedTokens {
  /** The house number ('' when the line has none, e.g. "Central Park West"). */
  readonly number: string;
}

export interface PreparedRecord {
  readonly record: NormalizedRecord;
  readonly name: WeightedTokens;
  readonly street: PreparedStreet;
  readonly city: PreparedCity;
  /** Bit i set when feature `MATCH_FEATURES[i]` is known (not ''). */
  readonly present: number;
}

// Street types and compass points say little about which street it is ("Main St" vs "Main Ave" is rarer
// than "Main St" vs "Oak St"), so they count a third of a street-name word.
const STREET_AFFIX_WEIGHT = 0.35;
const STREET_AFFIXES = new Set([...STREET_TYPES.values(), ...DIRECTIONS.values()]);

export function prepareRecord(record: NormalizedRecord, stats: TokenStats): PreparedRecord {
  return {
    record,
    name: weighNameTokens(nameTokens(record.name), stats),
    street: prepareStreet(record.street),
    city: { name: record.city, tokens: record.city === '' ? [] : record.city.split(' '), compact: record.city.replace(/ /g, '') },
    present: MATCH_FEATURES.reduce((mask, feature, bit) => (record[feature] === '' ? mask : mask | (1 << bit)), 0),
  };
}

function weighNameTokens(tokens: string[], stats: TokenStats): WeightedTokens {
  const weights = tokens.map((token) => inverseDocumentFrequency(stats, token));
  return { tokens, stems: tokens.map(stemToken), weights, total: sum(weights) };
}

export function prepareStreet(normalizedStreet: string): PreparedStreet {
  const all = normalizedStreet === '' ? [] : normalizedStreet.split(' ');
  // The house number leads in North America ("221 Main St") and trails in much of Europe ("Königsallee 27").
  const position = all.length < 2 ? -1 : HOUSE_NUMBER.test(all[0] ?? '') ? 0 : HOUSE_NUMBER.test(all[all.length - 1] ?? '') ? all.length - 1 : -1;
  const number = position < 0 ? '' : (all[position] ?? '');
  const tokens = position < 0 ? all : all.filter((_, index) => index !== position);
  const weights = tokens.map((token) => (STREET_AFFIXES.has(token) ? STREET_AFFIX_WEIGHT : 1));
  return { number, tokens, stems: tokens.map(stemToken), weights, total: sum(weights) };
}

const HOUSE_NUMBER = /^\d+[a-z]?$/;

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
