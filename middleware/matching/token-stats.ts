import { LEGAL_SUFFIXES } from './vocabulary.ts';

// How common each name word is in the data at hand, so that shared common words ("cafe", "solutions",
// "partners") count for less than shared distinctive ones. Built once per matching run from both sides.

/** Document frequencies of name tokens (as produced by `nameTokens`) over `documentCount` names. */
export interface TokenStats {
  readonly documentCount: number;
  readonly documentFrequency: ReadonlyMap<string, number>;
}

/**
 * Words that are common in organization names everywhere. Small data sets (a wizard with 30 accounts) cannot
 * tell that "solutions" is a filler word, so these start from a floor frequency of `COMMON_WORD_SHARE` of
 * the names; larger data sets that use them more often simply count higher.
 */
export const COMMON_NAME_WORDS: ReadonlySet<string> = new Set([
  'and', 'of', 'the', 'for', 'de', 'la', 'le', 'les', 'el', 'il', 'der', 'die', 'das', 'du', 'des', 'y', 'et', 'und',
  'group', 'holding', 'international', 'global', 'national', 'american', 'united', 'general', 'first',
  'partner', 'associate', 'solution', 'service', 'system', 'technology', 'consulting', 'consultant',
  'management', 'enterprise', 'industry', 'industrie', 'capital', 'investment', 'financial', 'insurance',
  'network', 'software', 'digital', 'media', 'marketing', 'design', 'studio', 'agency', 'development',
  'engineering', 'manufacturing', 'trading', 'logistic', 'supply', 'product', 'medical', 'health', 'care',
  'dental', 'law', 'office', 'center', 'company', 'business', 'resource', 'advisor', 'data', 'tech',
  'restaurant', 'cafe', 'grill', 'bar', 'bistro', 'kitchen', 'house', 'hotel', 'inn', 'deli', 'pizza',
  'shop', 'store', 'market', 'club', 'room', 'new', 'north', 'south', 'east', 'west',
  // Organization-unit and region qualifiers ("Acme (Europe)", "Acme - HQ", "Acme USA").
  'hq', 'headquarter', 'head', 'branch', 'division', 'usa', 'us', 'uk', 'europe', 'emea', 'apac', 'america',
  'americas', 'asia', 'pacific', 'canada', 'germany', 'deutschland', 'france', 'worldwide',
]);
const COMMON_WORD_SHARE = 0.02;

/** Splits a normalized name into comparison tokens. */
export function nameTokens(normalizedName: string): string[] {
  return normalizedName === '' ? [] : normalizedName.split(' ');
}

/**
 * Light English stemming, so "Solutions" counts as "Solution" and "Technologies" as "Technology". Applied
 * the same way on both sides, so stems need not be real words. Frequencies are counted per stem.
 */
export function stemToken(token: string): string {
  if (token.length > 4 && token.endsWith('ies')) return `${token.slice(0, -3)}y`;
  if (token.length > 3 && token.endsWith('s') && !/(ss|us|is|os)$/.test(token)) return token.slice(0, -1);
  return token;
}

/** Counts, for every token, how many of `normalizedNames` contain it. */
export function buildTokenStats(normalizedNames: Iterable<string>): TokenStats {
  const documentFrequency = new Map<string, number>();
  let documentCount = 0;
  for (const name of normalizedNames) {
    documentCount++;
    for (const token of new Set(nameTokens(name).map(stemToken))) documentFrequency.set(token, (documentFrequency.get(token) ?? 0) + 1);
  }
  return { documentCount, documentFrequency };
}

/**
 * Inverse document frequency, ln(1 + N / df). Tokens the statistics have never seen count as unique
 * (df = 1): a word that is new to the data is as distinctive as it gets.
 */
export function inverseDocumentFrequency(stats: TokenStats, word: string): number {
  const token = stemToken(word);
  const counted = stats.documentFrequency.get(token) ?? 1;
  // Legal forms left inside a name ("Acme Inc. Europe") never tell companies apart either.
  const common = COMMON_NAME_WORDS.has(token) || LEGAL_SUFFIXES.has(token);
  const floor = common ? Math.ceil(stats.documentCount * COMMON_WORD_SHARE) : 1;
  const documentCount = Math.max(stats.documentCount, 1);
  return Math.log(1 + documentCount / Math.max(counted, floor, 1));
}
