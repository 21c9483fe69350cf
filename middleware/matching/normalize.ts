// Pure normalizers that turn the ways people write the same organization into one spelling. Each returns ''
// for empty or meaningless input, so '' always means "unknown" to the scorer.
import type { MatchRecord, NormalizedRecord } from './types.ts';
import {
  CITY_PREFIXES, CROSS_STREET_PHRASES, CROSS_STREET_WORDS, DIRECTIONS, LEGAL_CONNECTORS, LEGAL_SUFFIXES,
  MULTI_LABEL_PUBLIC_SUFFIXES, NAME_ABBREVIATIONS, NAME_ARTICLES, NUMBER_WORDS, ORDINAL_WORDS, SHARED_HOSTING_DOMAINS,
  STREET_TYPES, TRAILING_ONLY_STREET_TYPES, UNIT_DESIGNATORS,
} from './vocabulary.ts';

// Letters that Unicode decomposition leaves alone but people type without the accent all the same.
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h',
};

/** Lower case, compatibility-decomposed, combining marks removed ("Crème Brûlée" → "creme brulee"). */
export function foldCase(value: string | null | undefined): string {
  if (!value) return '';
  // Plain ASCII has nothing to decompose; skipping it saves most of the work on typical data.
  if (!/[^\u0020-\u007e]/.test(value)) return value.toLowerCase();
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþıħ]/g, (letter) => SPECIAL_LETTERS[letter] ?? letter);
}

/**
 * Folded text reduced to space-separated words of letters and digits: `&` reads as "and", initialisms lose
 * their dots ("L.L.C." → "llc", "S. A." → "sa", "A/S" → "as"), apostrophes vanish ("Arnie's" → "arnies") and any other
 * punctuation separates words.
 */
export function normalizeText(value: string | null | undefined): string {
  return wordsOf(foldCase(value)).join(' ');
}

function wordsOf(folded: string): string[] {
  const text = folded
    .replace(/&/g, ' and ')
    .replace(/(?<![\p{L}\p{N}])(?:\p{L}\.\s?){2,}/gu, (initials) => `${initials.replace(/[.\s]/g, '')} `)
    .replace(/(?<![\p{L}\p{N}])\p{L}\/\p{L}(?![\p{L}\p{N}])/gu, (initials) => initials.replace('/', ''))
    .replace(/['’‘`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return text === '' ? [] : text.split(' ');
}

/**
 * Organization names: bracketed qualifiers dropped ("Spago (Los Angeles)"), business abbreviations spelled
 * out, legal forms removed from the end only ("Acme Pty Ltd" → "acme", "Co-op Bank" unchanged), and a
 * leading or trailing "The" dropped ("Apple Pan, The" = "The Apple Pan").
 */
export function normalizeName(value: string | null | undefined): string {
  // "Amazon.com, Inc.": a web address ending inside a name is not a word of the name.
  const folded = foldCase(value).replace(/(?<=[\p{L}\p{N}])\.(?:com|net|org|io|co|biz|info)\b/gu, ' ');
  const unbracketed = folded.replace(/\([^()]*\)|\[[^[\]]*\]/g, ' ');
  const words = wordsOf(/[\p{L}\p{N}]/u.test(unbracketed) ? unbracketed : folded);
  return stripNameAffixes(words.map((word) => NAME_ABBREVIATIONS.get(word) ?? word)).join(' ');
}

function stripNameAffixes(words: string[]): string[] {
  const tokens = [...words];
  const substantive = (list: readonly string[]) => list.some((token) => !NAME_ARTICLES.has(token));
  let removedLegalForm = false;
  while (tokens.length > 1) {
    const last = tokens[tokens.length - 1] ?? '';
    const rest = tokens.slice(0, -1);
    const removable = NAME_ARTICLES.has(last) || LEGAL_SUFFIXES.has(last) || (removedLegalForm && LEGAL_CONNECTORS.has(last));
    // Never strip a name down to nothing but articles ("The Company" stays a name).
    if (!removable || !substantive(rest)) break;
    removedLegalForm ||= LEGAL_SUFFIXES.has(last);
    tokens.pop();
  }
  if (tokens.length > 1 && NAME_ARTICLES.has(tokens[0] ?? '')) tokens.shift();
  return tokens;
}

const FLOOR_WORDS = new Set(['floor', 'fl', 'flr']);

/**
 * Street lines: cross-street and landmark tails cut ("2450 Broadway  between 90th and 91st Sts." → "2450
 * broadway"), secondary units dropped ("Suite 400", "#12", "3rd Floor"), street types, directions and
 * spelled-out ordinals in one canonical spelling ("Seventh Avenue North" → "7th ave n").
 */
export function normalizeStreet(value: string | null | undefined): string {
  const folded = foldCase(value);
  if (folded.trim() === '') return '';
  let tokens = wordsOf(cutDoubleSpacedTail(folded).replace(/#\s*/g, ' unit '));
  tokens = cutCrossStreetTail(dropUnits(tokens));
  const canonical = tokens.map((token, index) => canonicalStreetToken(tokens, index));
  return cutAtTail(canonical).join(' ');
}

// Directories append landmarks after two spaces ("3393 Peachtree Rd.  Lenox Square Mall"). Only cut when the
// part before already reads as a street line (a digit and two words), so "12  Main St" survives.
function cutDoubleSpacedTail(folded: string): string {
  const [head = '', ...tail] = folded.trim().split(/\s{2,}/);
  if (tail.length === 0) return folded;
  return /\d/.test(head) && head.split(/\s+/).length >= 2 ? head : folded;
}

function cutCrossStreetTail(tokens: string[]): string[] {
  for (let index = 2; index < tokens.length; index++) {
    const word = tokens[index] ?? '';
    if (CROSS_STREET_WORDS.has(word) || CROSS_STREET_PHRASES.has(`${word} ${tokens[index + 1] ?? ''}`)) return tokens.slice(0, index);
  }
  return tokens;
}

// "… St. at 65th St." / "95 Ave. A at 6th St.": "at" after a street type, or before one ("at <name> <type>"),
// starts a cross street.
function cutAtTail(tokens: string[]): string[] {
  for (let index = 2; index < tokens.length; index++) {
    if (tokens[index] !== 'at') continue;
    if (isStreetType(tokens[index - 1] ?? '') || isStreetType(tokens[index + 2] ?? '')) return tokens.slice(0, index);
  }
  return tokens;
}

function dropUnits(tokens: string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] ?? '';
    if (!UNIT_DESIGNATORS.has(token) || index === 0) {
      kept.push(token);
      continue;
    }
    // "3rd Floor": the ordinal before the designator is the unit too.
    if (FLOOR_WORDS.has(token) && /^\d+(st|nd|rd|th)?$/.test(kept[kept.length - 1] ?? '') && kept.length > 1) kept.pop();
    if (!FLOOR_WORDS.has(token) || /\d/.test(tokens[index + 1] ?? '')) index++; // the unit's number or letter
  }
  return kept;
}

const CANONICAL_STREET_TYPES = new Set(STREET_TYPES.values());
function isStreetType(token: string): boolean {
  return CANONICAL_STREET_TYPES.has(token);
}

function canonicalStreetToken(tokens: readonly string[], index: number): string {
  const token = tokens[index] ?? '';
  const next = tokens[index + 1];
  const isLast = next === undefined;
  if (index === 0 && NUMBER_WORDS.has(token) && !isLast) return NUMBER_WORDS.get(token) ?? token;
  const ordinal = ORDINAL_WORDS.get(token);
  if (ordinal) return ordinal;
  // "St." opening a street name is Saint ("123 St. Charles Ave."); anywhere else it is Street.
  if (token === 'st' && next !== undefined && !DIRECTIONS.has(next) && !STREET_TYPES.has(next) && next !== 'and'
    && (index === 0 || /^\d+$/.test(tokens[index - 1] ?? ''))) return 'saint';
  const direction = DIRECTIONS.get(token);
  if (direction && (tokens.length > 1)) return direction;
  const type = STREET_TYPES.get(token) ?? (isLast && index > 0 ? TRAILING_ONLY_STREET_TYPES.get(token) : undefined);
  return type ?? token;
}

/** City names: "St." / "Ft." / "Mt." spelled out, compass words abbreviated ("West Hollywood" → "w hollywood"). */
export function normalizeCity(value: string | null | undefined): string {
  const words = wordsOf(foldCase(value));
  return words
    .map((word, index) => (index === 0 && words.length > 1 ? CITY_PREFIXES.get(word) : undefined) ?? (words.length > 1 ? DIRECTIONS.get(word) : undefined) ?? word)
    .join(' ');
}

/** Postal codes: letters and digits only; US ZIP+4 reduced to the five-digit ZIP ("94105-1234" → "94105"). */
export function normalizePostalCode(value: string | null | undefined): string {
  const compact = foldCase(value).replace(/[^\p{L}\p{N}]/gu, '');
  if (/^\d{9}$/.test(compact) && /^\s*\d{5}\s*-\s*\d{4}\s*$/.test(value ?? '')) return compact.slice(0, 5);
  return compact;
}

/**
 * Phone numbers: digits only, extension dropped, leading zeros (trunk or international prefix) dropped, the
 * NANP country code 1 dropped from 11 digits, and at most the last 10 digits kept. Fewer than 7 digits is
 * not a phone number ('').
 */
export function normalizePhone(value: string | null | undefined): string {
  const withoutExtension = foldCase(value).replace(/\s*(?:ext\.?|extension|x|#)\s*\d{1,6}\s*$/, '');
  let digits = withoutExtension.replace(/\D/g, '').replace(/^0+/, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  if (digits.length > 10) digits = digits.slice(-10);
  return digits.length >= 7 ? digits : '';
}

/**
 * Websites (or e-mail addresses): the registrable domain, without scheme, "www", port, path or query
 * ("https://www.shop.acme.co.uk/about" → "acme.co.uk"). On shared hosts (facebook.com, wixsite.com …) the
 * domain names the host, not the business, so the subdomain or the first path segment is kept.
 */
export function normalizeWebsite(value: string | null | undefined): string {
  let text = foldCase(value).trim();
  if (text === '') return '';
  text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  const [authority = '', ...pathParts] = text.split(/[/?#]/);
  const host = authority.replace(/^.*@/, '').replace(/:\d*$/, '').replace(/\.+$/, '').replace(/^www\d*\./, '');
  const labels = host.split('.');
  if (labels.length < 2 || labels.some((label) => !/^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u.test(label))) return '';
  const keep = MULTI_LABEL_PUBLIC_SUFFIXES.has(labels.slice(-2).join('.')) ? 3 : 2;
  const registrable = labels.slice(-keep).join('.');
  if (!SHARED_HOSTING_DOMAINS.has(registrable)) return registrable;
  if (labels.length > keep) return host;
  const firstSegment = pathParts.find((part) => part !== '');
  return firstSegment ? `${registrable}/${firstSegment}` : '';
}

/** All features of a record at once. */
export function normalizeRecord(record: MatchRecord): NormalizedRecord {
  return {
    id: record.id,
    name: normalizeName(record.name),
    street: normalizeStreet(record.street),
    city: normalizeCity(record.city),
    postalCode: normalizePostalCode(record.postalCode),
    phone: normalizePhone(record.phone),
    website: normalizeWebsite(record.website),
  };
}
