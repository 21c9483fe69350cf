// In-memory candidate generation ("blocking"): an inverted index over the right-hand records so that each
// left record is scored against a handful of likely partners instead of all of them. Keys: name words, name
// words one typo away, two words written as one, name trigrams, the last 7 phone digits, the website domain,
// house number + street word, and house number + postal code. Work per record is bounded (keys shared by too
// many records are skipped), so the whole step is linear. The SQL blocking step (pg_trgm over the stored
// normalized columns) plays the same role for stored records; both feed the scorer the same way.
import type { PreparedRecord } from './prepare.ts';
import type { TokenStats } from './token-stats.ts';
import { DIRECTIONS, STREET_TYPES } from './vocabulary.ts';

export interface BlockingOptions {
  /** How many candidates per left record go on to full scoring (default 15). */
  readonly maxCandidates?: number;
  /**
   * Keys shared by more records than this are too common to narrow anything down and are skipped
   * (default: 1 % of the right-hand records, at least 100, at most 300). The upper bound keeps the work per
   * record constant, so blocking stays linear in the number of records.
   */
  readonly maxPostingLength?: number;
}

// Rough evidence each kind of shared key gives that two records are the same; only used to rank candidates.
const KEY_WEIGHT = { phone: 6, website: 6, street: 4, postal: 3, joined: 6, trigram: 1 } as const;
/** How many of a name's rarest trigrams are looked up: enough that a typo (3 trigrams) cannot hide it. */
const TRIGRAMS_PER_NAME = 8;
/** Candidates kept regardless of their evidence (enough for five suggestions). */
const MIN_CANDIDATES = 5;
/** Past `MIN_CANDIDATES`, candidates with less than this share of the best candidate's evidence are dropped. */
const WEAK_EVIDENCE_SHARE = 0.25;
/** A word one typo away counts this share of an exact word's evidence. */
const TYPO_WEIGHT_SHARE = 0.8;
/** Shorter words get no typo keys: one edit in three letters makes another word. */
const MIN_TYPO_KEY_LENGTH = 4;

/** Each two adjacent words written together. */
function adjacentJoins(tokens: readonly string[]): string[] {
  const joins: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) joins.push(`${tokens[i] ?? ''}${tokens[i + 1] ?? ''}`);
  return joins;
}

/** The word with one letter removed, for every position. */
export function deletionVariants(word: string): string[] {
  const variants = new Set<string>();
  for (let i = 0; i < word.length; i++) variants.add(word.slice(0, i) + word.slice(i + 1));
  return [...variants];
}

const STREET_AFFIXES = new Set([...STREET_TYPES.values(), ...DIRECTIONS.values()]);

type Postings = Map<string, number[]>;

function addPosting(postings: Postings, key: string, recordIndex: number): void {
  const list = postings.get(key);
  if (list === undefined) postings.set(key, [recordIndex]);
  else if (list[list.length - 1] !== recordIndex) list.push(recordIndex);
}

/** Distinct three-letter slices of the name written without spaces (the whole name when shorter). */
export function nameTrigrams(name: PreparedRecord['name']): string[] {
  const compact = name.tokens.join('');
  if (compact.length <= 3) return compact === '' ? [] : [compact];
  const trigrams = new Set<string>();
  for (let i = 0; i + 3 <= compact.length; i++) trigrams.add(compact.slice(i, i + 3));
  return [...trigrams];
}

function phoneKey(phone: string): string {
  return phone.slice(-7);
}

function streetKeys(record: PreparedRecord): string[] {
  const { number, tokens } = record.street;
  if (number === '') return [];
  return tokens.filter((token) => !STREET_AFFIXES.has(token)).slice(0, 2).map((token) => `${number} ${token}`);
}

function postalKey(record: PreparedRecord): string {
  const { postalCode } = record.record;
  return postalCode !== '' && record.street.number !== '' ? `${postalCode} ${record.street.number}` : '';
}

export class CandidateIndex {
  private readonly names: Postings = new Map();
  private readonly trigrams: Postings = new Map();
  private readonly typos: Postings = new Map();
  private readonly joined: Postings = new Map();
  private readonly phones: Postings = new Map();
  private readonly websites: Postings = new Map();
  private readonly streets: Postings = new Map();
  private readonly postals: Postings = new Map();
  private readonly maxCandidates: number;
  private readonly maxPostingLength: number;
  // Per-query scratch state, sized once: evidence per record, which records have any, and a stamp per record
  // so that a group of keys (one word's typo variants) counts a record once.
  private readonly evidence: Float64Array;
  private readonly stamps: Int32Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private stamp = 0;

  constructor(readonly records: readonly PreparedRecord[], private readonly stats: TokenStats, options: BlockingOptions = {}) {
    this.maxCandidates = options.maxCandidates ?? 15;
    this.maxPostingLength = options.maxPostingLength ?? Math.min(300, Math.max(100, Math.ceil(records.length * 0.01)));
    if (!(this.maxCandidates >= 1) || !(this.maxPostingLength >= 1)) throw new RangeError('Blocking limits must be at least 1');
    this.evidence = new Float64Array(records.length);
    this.stamps = new Int32Array(records.length);
    this.touched = new Int32Array(records.length);
    records.forEach((record, index) => this.indexRecord(record, index));
  }

  private indexRecord(record: PreparedRecord, index: number): void {
    for (const stem of record.name.stems) {
      addPosting(this.names, stem, index);
      if (this.isDistinctive(stem)) for (const variant of deletionVariants(stem)) addPosting(this.typos, variant, index);
    }
    for (const pair of adjacentJoins(record.name.stems)) addPosting(this.joined, pair, index);
    for (const trigram of nameTrigrams(record.name)) addPosting(this.trigrams, trigram, index);
    if (record.record.phone !== '') addPosting(this.phones, phoneKey(record.record.phone), index);
    if (record.record.website !== '') addPosting(this.websites, record.record.website, index);
    for (const key of streetKeys(record)) addPosting(this.streets, key, index);
    const postal = postalKey(record);
    if (postal !== '') addPosting(this.postals, postal, index);
  }

  /** Indexes (into `records`) of the most promising candidates for `left`, best evidence first. */
  candidatesFor(left: PreparedRecord): number[] {
    this.touchedCount = 0;
    this.addNameEvidence(left);
    const { phone, website } = left.record;
    if (phone !== '') this.add(this.phones.get(phoneKey(phone)), KEY_WEIGHT.phone);
    if (website !== '') this.add(this.websites.get(website), KEY_WEIGHT.website);
    for (const key of streetKeys(left)) this.add(this.streets.get(key), KEY_WEIGHT.street);
    const postal = postalKey(left);
    if (postal !== '') this.add(this.postals.get(postal), KEY_WEIGHT.postal);
    const best = this.topByEvidence();
    // Beyond the first few, candidates with a small fraction of the leader's evidence are not worth scoring.
    const floor = (this.evidence[best[0] ?? 0] ?? 0) * WEAK_EVIDENCE_SHARE;
    let keep = best.length;
    while (keep > MIN_CANDIDATES && (this.evidence[best[keep - 1] ?? 0] ?? 0) < floor) keep--;
    for (let i = 0; i < this.touchedCount; i++) this.evidence[this.touched[i] ?? 0] = 0;
    return best.slice(0, keep);
  }

  private usable(list: readonly number[] | undefined): list is readonly number[] {
    return list !== undefined && list.length <= this.maxPostingLength;
  }

  /** Adds `weight` to every record of the list; lists of too-common keys are skipped. */
  private add(list: readonly number[] | undefined, weight: number, limit = this.maxPostingLength): void {
    if (list === undefined || list.length > limit) return;
    for (let i = 0; i < list.length; i++) this.credit(list[i] ?? 0, weight);
  }

  private credit(index: number, weight: number): void {
    if (this.evidence[index] === 0) this.touched[this.touchedCount++] = index;
    this.evidence[index] = (this.evidence[index] ?? 0) + weight;
  }

  private isDistinctive(stem: string): boolean {
    return stem.length >= MIN_TYPO_KEY_LENGTH && (this.stats.documentFrequency.get(stem) ?? 1) <= this.maxPostingLength;
  }

  private addNameEvidence(left: PreparedRecord): void {
    const { stems } = left.name;
    let usedWord = false;
    for (let i = 0; i < stems.length; i++) {
      const stem = stems[i] ?? '';
      const list = this.names.get(stem);
      usedWord ||= this.usable(list);
      const weight = left.name.weights[i] ?? 0;
      this.add(list, weight);
      if (this.isDistinctive(stem)) this.addTypoMatches(stem, list, TYPO_WEIGHT_SHARE * weight);
    }
    // One side writes as one word what the other writes as two ("SchmidtVelin" / "Schmidt Velin").
    for (const stem of stems) this.add(this.joined.get(stem), KEY_WEIGHT.joined);
    for (const pair of adjacentJoins(stems)) this.add(this.names.get(pair), KEY_WEIGHT.joined);
    // A name made only of common words ("Global Solutions Group") still needs candidates: use its rarest word.
    if (!usedWord && stems.length > 0) {
      const rarest = stems.map((stem) => this.names.get(stem) ?? []).sort((a, b) => a.length - b.length)[0];
      this.add(rarest, 1, this.maxPostingLength * 5);
    }
    const lists = nameTrigrams(left.name).map((trigram) => this.trigrams.get(trigram))
      .filter((list): list is number[] => this.usable(list))
      .sort((a, b) => a.length - b.length);
    for (let i = 0; i < Math.min(TRIGRAMS_PER_NAME, lists.length); i++) this.add(lists[i], KEY_WEIGHT.trigram);
  }

  /**
   * Records with a word one edit away from `stem` (deletion neighbourhoods: two words within one insertion,
   * deletion, substitution or swap share a word-minus-one-letter). Catches typos in short brand words that
   * break every trigram ("Xanel" / "Xael"). Each record counts once; exact matches were counted already.
   */
  private addTypoMatches(stem: string, exact: readonly number[] | undefined, weight: number): void {
    const stamp = ++this.stamp;
    for (const index of exact ?? []) this.stamps[index] = stamp;
    const collect = (list: readonly number[] | undefined) => {
      if (!this.usable(list)) return;
      for (const index of list) {
        if (this.stamps[index] === stamp) continue;
        this.stamps[index] = stamp;
        this.credit(index, weight);
      }
    };
    collect(this.typos.get(stem));
    for (const variant of deletionVariants(stem)) {
      collect(this.typos.get(variant));
      collect(this.names.get(variant));
    }
  }

  // Keeps the `maxCandidates` highest-evidence records in one pass (insertion into a short sorted list).
  private topByEvidence(): number[] {
    const limit = this.maxCandidates;
    const best: number[] = [];
    const scores: number[] = [];
    for (let i = 0; i < this.touchedCount; i++) {
      const index = this.touched[i] ?? 0;
      const score = this.evidence[index] ?? 0;
      if (best.length === limit) {
        if (score <= (scores[limit - 1] ?? 0)) continue;
        best.pop();
        scores.pop();
      }
      let position = best.length;
      while (position > 0 && (scores[position - 1] ?? 0) < score) position--;
      best.splice(position, 0, index);
      scores.splice(position, 0, score);
    }
    return best;
  }
}
