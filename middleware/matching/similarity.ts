// Per-feature similarities in [0, 1] between two prepared records. Pure and allocation-light: this is the
// inner loop of matching. Explanations for people live in explain.ts.
import damerauLevenshtein from 'talisman/metrics/damerau-levenshtein.js';
import type { PreparedCity, PreparedRecord, PreparedStreet, WeightedTokens } from './prepare.ts';
import { stemToken } from './token-stats.ts';
import type { MatchFeature } from './types.ts';

/** Credit for a short abbreviation that starts the full word ("deli" / "delicatessen", "tech" / "technik"). */
const PREFIX_CREDIT = 0.85;
/** Credit for an initial against a word it could stand for. */
const INITIAL_CREDIT = 0.6;
/** Credit for an acronym against the words it abbreviates ("IBM" / "International Business Machines"). */
const ACRONYM_CREDIT = 0.85;
/** One typing error is tolerated per this many letters of the longer word. */
const LETTERS_PER_TYPO = 5;

/**
 * Similarity of two words: exact or same stem (1), a short prefix abbreviation, or a typo — within one edit
 * (insert, delete, substitute, swap) per five letters, scored 1 − edits / length. Edit distance rather than
 * Jaro-Winkler, because Jaro-Winkler rates different words with a shared start highly ("brightwater" /
 * "brightwood"), and invented brand names often share starts.
 */
export function tokenSimilarity(a: string, b: string): number {
  return wordSimilarity(a, stemToken(a), b, stemToken(b));
}

function wordSimilarity(a: string, stemA: string, b: string, stemB: string): number {
  if (a === b || stemA === stemB) return 1;
  const shorter = a.length <= b.length ? a : b;
  const longer = a.length <= b.length ? b : a;
  // Short words and numbers ("21", "5th", "jo") must match exactly: one changed character changes them.
  if (shorter.length < 3 || isDigit(a.charCodeAt(0)) || isDigit(b.charCodeAt(0))) return 0;
  if (shorter.length >= 4 && shorter.length <= 5 && longer.length > shorter.length + 1 && longer.startsWith(shorter)) return PREFIX_CREDIT;
  const allowed = Math.floor(longer.length / LETTERS_PER_TYPO);
  if (allowed === 0 || longer.length - shorter.length > allowed) return 0;
  // One edit leaves either the first or the last letter in place; most unrelated words fail this cheaply.
  if (allowed === 1 && a.charCodeAt(0) !== b.charCodeAt(0) && a.charCodeAt(a.length - 1) !== b.charCodeAt(b.length - 1)) return 0;
  const edits = damerauLevenshtein.limited(allowed, a, b);
  return edits <= allowed ? 1 - edits / longer.length : 0;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Words with their stems (see `stemToken`), as prepared once per record. */
export interface WordList {
  readonly tokens: readonly string[];
  readonly stems: readonly string[];
}

/** For every token of each side, how well the other side matches it (0..1). */
export interface TokenAlignment {
  readonly left: Float64Array;
  readonly right: Float64Array;
}

/**
 * Best match of each token against the other side (a soft, symmetric Monge-Elkan). A word written as two
 * ("north point" / "northpoint", "plump jack" / "plumpjack") matches the two adjacent words it joins.
 */
export function alignTokens(left: WordList, right: WordList, kind: WordKind): TokenAlignment {
  const alignment = { left: new Float64Array(left.tokens.length), right: new Float64Array(right.tokens.length) };
  alignInto(left, right, alignment.left, alignment.right, kind);
  return alignment;
}

/** Names also match initials and acronyms; in street lines single letters are compass points. */
export type WordKind = 'name' | 'street';

// The scoring loop reuses these instead of allocating two arrays per comparison.
let scratchLeft = new Float64Array(32);
let scratchRight = new Float64Array(32);

// Aligns into the shared scratch arrays; valid until the next call.
function scratchAlignment(left: WordList, right: WordList, kind: WordKind): void {
  if (left.tokens.length > scratchLeft.length) scratchLeft = new Float64Array(left.tokens.length * 2);
  if (right.tokens.length > scratchRight.length) scratchRight = new Float64Array(right.tokens.length * 2);
  scratchLeft.fill(0, 0, left.tokens.length);
  scratchRight.fill(0, 0, right.tokens.length);
  alignInto(left, right, scratchLeft, scratchRight, kind);
}

function alignInto(left: WordList, right: WordList, bestLeft: Float64Array, bestRight: Float64Array, kind: WordKind): void {
  for (let i = 0; i < left.tokens.length; i++) {
    const a = left.tokens[i] ?? '';
    const stemA = left.stems[i] ?? '';
    for (let j = 0; j < right.tokens.length; j++) {
      const similarity = wordSimilarity(a, stemA, right.tokens[j] ?? '', right.stems[j] ?? '');
      if (similarity > (bestLeft[i] ?? 0)) bestLeft[i] = similarity;
      if (similarity > (bestRight[j] ?? 0)) bestRight[j] = similarity;
    }
  }
  matchJoinedWords(left.tokens, bestLeft, right.tokens, bestRight);
  matchJoinedWords(right.tokens, bestRight, left.tokens, bestLeft);
  if (kind === 'street') return;
  matchAcronyms(left.tokens, bestLeft, right.tokens, bestRight);
  matchAcronyms(right.tokens, bestRight, left.tokens, bestLeft);
  matchInitials(left.tokens, bestLeft, right.tokens, bestRight);
  matchInitials(right.tokens, bestRight, left.tokens, bestLeft);
}

// "J Smith" / "John Smith": a single letter stands for a word starting with it.
function matchInitials(words: readonly string[], best: Float64Array, others: readonly string[], otherBest: Float64Array): void {
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word.length !== 1 || (best[i] ?? 0) >= INITIAL_CREDIT || isDigit(word.charCodeAt(0))) continue;
    const j = others.findIndex((other) => other.length > 1 && other.charCodeAt(0) === word.charCodeAt(0));
    if (j < 0) continue;
    best[i] = INITIAL_CREDIT;
    otherBest[j] = Math.max(otherBest[j] ?? 0, INITIAL_CREDIT);
  }
}

// "ABC Consulting" / "Alpha Beta Capital Consulting": a 2–5 letter word made of the first letters of as many
// adjacent words on the other side.
function matchAcronyms(words: readonly string[], best: Float64Array, others: readonly string[], otherBest: Float64Array): void {
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if ((best[i] ?? 0) >= ACRONYM_CREDIT || word.length < 2 || word.length > 5 || word.length > others.length || isDigit(word.charCodeAt(0))) continue;
    for (let j = 0; j + word.length <= others.length; j++) {
      let k = 0;
      while (k < word.length && (others[j + k] ?? '').charCodeAt(0) === word.charCodeAt(k)) k++;
      if (k < word.length) continue;
      best[i] = ACRONYM_CREDIT;
      for (k = 0; k < word.length; k++) otherBest[j + k] = Math.max(otherBest[j + k] ?? 0, ACRONYM_CREDIT);
      break;
    }
  }
}

function matchJoinedWords(words: readonly string[], best: Float64Array, parts: readonly string[], partBest: Float64Array): void {
  for (let i = 0; i < words.length; i++) {
    if ((best[i] ?? 0) === 1) continue;
    const word = words[i] ?? '';
    for (let j = 0; j + 1 < parts.length; j++) {
      const first = parts[j] ?? '';
      const second = parts[j + 1] ?? '';
      // Typos are allowed here too ("NazakrSupply" / "Nazakor Supply"), but not in the first letter.
      if (first.charCodeAt(0) !== word.charCodeAt(0) || Math.abs(first.length + second.length - word.length) > 2) continue;
      const joined = first + second;
      const similarity = wordSimilarity(word, word, joined, joined);
      if (similarity <= (best[i] ?? 0)) continue;
      best[i] = similarity;
      partBest[j] = Math.max(partBest[j] ?? 0, similarity);
      partBest[j + 1] = Math.max(partBest[j + 1] ?? 0, similarity);
    }
  }
}

/** Share of the token weight that the other side covers. */
export function coverage(side: WeightedTokens, best: Float64Array): number {
  if (side.total === 0) return 0;
  let covered = 0;
  for (let i = 0; i < side.weights.length; i++) covered += (side.weights[i] ?? 0) * (best[i] ?? 0);
  return covered / side.total;
}

/**
 * Names: IDF-weighted soft token overlap, averaged over both directions. Order does not matter ("Ritz-Carlton
 * Cafe" = "Cafe Ritz-Carlton"); extra common words cost little ("Katsu" vs "Restaurant Katsu"), extra
 * distinctive words cost a lot ("Summit Dental" vs "Summit Logistics").
 */
export function nameSimilarity(left: WeightedTokens, right: WeightedTokens): number {
  if (left.tokens.length === 0 || right.tokens.length === 0) return 0;
  scratchAlignment(left, right, 'name');
  return (coverage(left, scratchLeft) + coverage(right, scratchRight)) / 2;
}

/**
 * Street lines: the house number decides half (a different number is usually a different building), the
 * street words the other half, measured mostly by how much of the shorter line the longer one contains
 * (one side often adds a direction suffix or a landmark).
 */
export function streetSimilarity(left: PreparedStreet, right: PreparedStreet): number {
  const words = streetWordSimilarity(left, right);
  if (left.number !== '' && right.number !== '') return 0.5 * (left.number === right.number ? 1 : 0) + 0.5 * words;
  // Without a number on one side the words alone cannot place the building; keep a margin of doubt.
  return 0.85 * words;
}

export function streetWordSimilarity(left: PreparedStreet, right: PreparedStreet): number {
  if (left.tokens.length === 0 || right.tokens.length === 0) return left.tokens.length === right.tokens.length ? 1 : 0;
  scratchAlignment(left, right, 'street');
  const forward = coverage(left, scratchLeft);
  const backward = coverage(right, scratchRight);
  return (2 * Math.max(forward, backward) + Math.min(forward, backward)) / 3;
}

/**
 * Cities: equal, an initialism ("LA" / "Los Angeles"), one name inside the other ("New York" / "New York
 * City", "Hollywood" / "W Hollywood"), or a close spelling.
 */
export function citySimilarity(left: PreparedCity, right: PreparedCity): number {
  if (left.name === right.name) return 1;
  if (isInitialism(left, right) || isInitialism(right, left)) return 0.9;
  const [shorter, longer] = left.tokens.length <= right.tokens.length ? [left.tokens, right.tokens] : [right.tokens, left.tokens];
  if (shorter.every((token) => longer.includes(token))) return 0.8;
  // A typo or a transliteration ("Koeln" / "Köln" → "koln"), or spacing ("Northpoint" / "North Point").
  return wordSimilarity(left.compact, left.compact, right.compact, right.compact);
}

function isInitialism(short: PreparedCity, long: PreparedCity): boolean {
  if (short.tokens.length !== 1 || long.tokens.length < 2 || short.name.length !== long.tokens.length) return false;
  return long.tokens.every((token, index) => token.charCodeAt(0) === short.name.charCodeAt(index));
}

/** Postal codes: equal, or one a prefix of the other (a truncated code, a UK outward code). */
export function postalCodeSimilarity(left: string, right: string): number {
  if (left === right) return 1;
  const [shorter, longer] = left.length <= right.length ? [left, right] : [right, left];
  return shorter.length >= 3 && longer.startsWith(shorter) ? 0.8 : 0;
}

/**
 * Phones (digits): equal; one the tail of the other (a country or area code on one side only); or the same
 * local number under another area code (often a typo or a renumbered area).
 */
export function phoneSimilarity(left: string, right: string): number {
  if (left === right) return 1;
  const [shorter, longer] = left.length <= right.length ? [left, right] : [right, left];
  if (shorter.length >= 7 && longer.endsWith(shorter)) return 0.9;
  return left.length >= 7 && right.length >= 7 && left.slice(-7) === right.slice(-7) ? 0.5 : 0;
}

/** Websites (registrable domains): equal, or the same name under another ending ("acme.com" / "acme.de"). */
export function websiteSimilarity(left: string, right: string): number {
  if (left === right) return 1;
  const dot = left.indexOf('.');
  return dot >= 3 && right.indexOf('.') === dot && right.startsWith(left.slice(0, dot)) ? 0.8 : 0;
}

/** The similarity of one feature of two prepared records (both sides must have the feature). */
export function featureSimilarity(feature: MatchFeature, a: PreparedRecord, b: PreparedRecord): number {
  switch (feature) {
    case 'name': return nameSimilarity(a.name, b.name);
    case 'street': return streetSimilarity(a.street, b.street);
    case 'city': return citySimilarity(a.city, b.city);
    case 'postalCode': return postalCodeSimilarity(a.record.postalCode, b.record.postalCode);
    case 'phone': return phoneSimilarity(a.record.phone, b.record.phone);
    case 'website': return websiteSimilarity(a.record.website, b.record.website);
  }
}
