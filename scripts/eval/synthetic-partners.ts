// A seeded generator of partner-company data in the shape the wizard meets: the same companies written down
// twice (a PRM export and a Salesforce export) with the variations people make — legal forms changed or
// dropped, "The" moved, abbreviations, typos, accents, other street spellings, moved offices, missing phones
// and websites — and the traps that fool matchers: unrelated companies sharing a brand word, a building or
// only common words. It guards the matcher against fitting the restaurant benchmark alone.
import type { MatchRecord } from '../../middleware/matching/types.ts';
import type { EvaluationDataset, TruthPair } from './dataset.ts';
import { chance, pick, seededRandom, shuffled, type Random } from './random.ts';
import {
  CITIES, COMPOUND_HEADS, COMPOUND_TAILS, DIRECTION_SPELLINGS, EUROPEAN_STREET_NAMES, INDUSTRY_PHRASES, LEGAL_FORM_SWAPS, LEGAL_FORMS_EU,
  LEGAL_FORMS_US, STREET_NAMES, STREET_TYPE_SPELLINGS, SURNAMES, SYLLABLES, UNIT_SPELLINGS, WORD_VARIANTS,
  type CityInfo,
} from './synthetic-vocabulary.ts';

export interface SyntheticOptions {
  /** Number of distinct companies behind the data (records on each side are roughly this many). */
  readonly companies: number;
  readonly seed?: number;
}

interface Address {
  readonly number: number;
  readonly street: string;
  readonly type: readonly string[];
  readonly direction: readonly string[] | null;
  readonly unit: readonly [readonly string[], string] | null;
  readonly city: CityInfo;
  readonly postal: string;
}

interface Company {
  readonly brand: string;
  readonly industry: string;
  readonly legal: string | null;
  readonly article: boolean;
  readonly address: Address;
  readonly phone: string;
  readonly domain: string;
}

const ORDINALS: Readonly<Record<string, string>> = { First: '1st', Second: '2nd', Third: '3rd', Fifth: '5th', Seventh: '7th', Ninth: '9th' };

export function generatePartnerDataset(options: SyntheticOptions): EvaluationDataset {
  if (!Number.isInteger(options.companies) || options.companies < 1) throw new RangeError('companies must be a positive integer');
  const random = seededRandom(options.seed ?? 7);
  const generator = new CompanyGenerator(random);
  const left: MatchRecord[] = [];
  const right: MatchRecord[] = [];
  const truth: Array<[MatchRecord, MatchRecord]> = [];
  for (let i = 0; i < options.companies; i++) {
    const company = generator.company();
    const role = random();
    if (role < 0.65) {
      const pair: [MatchRecord, MatchRecord] = [generator.prmRecord(company), generator.salesforceRecord(company)];
      left.push(pair[0]);
      right.push(pair[1]);
      truth.push(pair);
    } else if (role < 0.85) {
      left.push(generator.prmRecord(company));
    } else {
      right.push(generator.salesforceRecord(company));
    }
    // Traps: an unrelated company that looks like this one, on the other side (or either side).
    const trap = random();
    const other = trap < 0.1 ? generator.sibling(company) : trap < 0.15 ? generator.neighbour(company) : trap < 0.18 ? generator.branch(company) : null;
    if (other && chance(0.5, random)) right.push(generator.salesforceRecord(other));
    else if (other) left.push(generator.prmRecord(other));
  }
  return withOpaqueIds(left, right, truth, random);
}

// Ids are assigned after shuffling, so neither ids nor positions say anything about the answer.
function withOpaqueIds(left: MatchRecord[], right: MatchRecord[], truth: Array<[MatchRecord, MatchRecord]>, random: Random): EvaluationDataset {
  const leftIds = new Map(shuffled(left, random).map((record, index) => [record, `P${String(index + 1).padStart(6, '0')}`]));
  const rightIds = new Map(shuffled(right, random).map((record, index) => [record, `A${String(index + 1).padStart(6, '0')}`]));
  const relabel = (ids: Map<MatchRecord, string>) => [...ids].map(([record, id]) => ({ ...record, id }));
  return {
    label: 'synthetic-partners',
    left: relabel(leftIds),
    right: relabel(rightIds),
    truth: truth.map(([l, r]): TruthPair => [leftIds.get(l) ?? '', rightIds.get(r) ?? '']),
  };
}

class CompanyGenerator {
  private readonly usedBrands = new Set<string>();
  constructor(private readonly random: Random) {}

  company(city?: CityInfo): Company {
    const r = this.random;
    const brand = this.brand();
    const industry = pick(INDUSTRY_PHRASES, r);
    return this.withIdentity(brand, industry, this.address(city));
  }

  /** Same brand word, different business: "Brightwater Dental Care" next to "Brightwater Logistics". */
  sibling(company: Company): Company {
    const industry = pick(INDUSTRY_PHRASES.filter((phrase) => phrase !== company.industry), this.random);
    return this.withIdentity(company.brand, industry, this.address(chance(0.5, this.random) ? company.address.city : undefined));
  }

  /** Another company in the same building (a different suite). */
  neighbour(company: Company): Company {
    const other = this.company();
    const unit: readonly [readonly string[], string] = [pick(UNIT_SPELLINGS, this.random), String(100 + Math.floor(this.random() * 800))];
    return { ...other, address: { ...company.address, unit } };
  }

  /** The same brand and business in another city: a separate account. */
  branch(company: Company): Company {
    const address = this.address();
    return { ...company, address, phone: this.phone(address.city), domain: '' };
  }

  private withIdentity(brand: string, industry: string, address: Address): Company {
    const r = this.random;
    const europe = address.city.country === 'EU';
    const legal = chance(0.7, r) ? pick(europe ? LEGAL_FORMS_EU : LEGAL_FORMS_US, r) : null;
    const slug = ascii(brand).toLowerCase().replace(/[^a-z0-9]/g, '');
    const extra = chance(0.3, r) ? ascii(industry.split(' ')[0] ?? '').toLowerCase() : '';
    const tld = europe ? pick(['de', 'eu', 'co.uk', 'fr', 'nl', 'com'], r) : pick(['com', 'com', 'com', 'net', 'io', 'co'], r);
    return { brand, industry, legal, article: chance(0.08, r), address, phone: this.phone(address.city), domain: `${slug}${extra}.${tld}` };
  }

  private brand(): string {
    const r = this.random;
    for (;;) {
      const style = r();
      let brand: string;
      if (style < 0.45) brand = capitalize(Array.from({ length: 2 + Math.floor(r() * 2) }, () => pick(SYLLABLES, r)).join(''));
      else if (style < 0.7) brand = capitalize(pick(COMPOUND_HEADS, r) + pick(COMPOUND_TAILS, r));
      else if (style < 0.85) brand = `${pick(SURNAMES, r)} & ${pick(SURNAMES, r)}`;
      else brand = `${pick(SURNAMES, r)} ${capitalize(pick(SYLLABLES, r) + pick(SYLLABLES, r))}`;
      if (!this.usedBrands.has(brand) || this.usedBrands.size > 1e7) {
        this.usedBrands.add(brand);
        return brand;
      }
    }
  }

  private address(city: CityInfo = pick(CITIES, this.random)): Address {
    const r = this.random;
    const postalDigits = String(Math.floor(r() * 100)).padStart(2, '0');
    return {
      number: 1 + Math.floor(r() * (chance(0.5, r) ? 999 : 9999)),
      street: city.country === 'EU' && chance(0.7, r) ? pick(EUROPEAN_STREET_NAMES, r) : pick(STREET_NAMES, r),
      type: pick(STREET_TYPE_SPELLINGS, r),
      direction: chance(0.2, r) ? pick(DIRECTION_SPELLINGS, r) : null,
      unit: chance(0.35, r) ? [pick(UNIT_SPELLINGS, r), String(1 + Math.floor(r() * 900))] : null,
      city,
      postal: city.zipPrefix.length >= 3 && /^\d+$/.test(city.zipPrefix) ? `${city.zipPrefix}${postalDigits}` : `${city.zipPrefix} ${postalDigits[0]}AB`,
    };
  }

  private phone(city: CityInfo): string {
    const digits = Array.from({ length: 7 }, () => Math.floor(this.random() * 10)).join('');
    return `${city.country === 'US' ? '1' : '49'}${city.areaCode}${digits}`;
  }

  /** The company as the PRM holds it: tidy, full forms. */
  prmRecord(company: Company): MatchRecord {
    const r = this.random;
    const name = `${company.article ? 'The ' : ''}${company.brand} ${company.industry}${company.legal ? `${company.legal.startsWith(',') ? '' : ' '}${company.legal}` : ''}`;
    return {
      id: '',
      name,
      street: chance(0.08, r) ? '' : this.street(company.address, 0),
      city: chance(0.04, r) ? '' : company.address.city.city,
      postalCode: chance(0.2, r) ? '' : company.address.postal,
      phone: chance(0.25, r) ? '' : this.formatPhone(company.phone),
      website: chance(0.35, r) ? '' : this.formatWebsite(company.domain),
    };
  }

  /** The company as Salesforce holds it: typed by someone else, some years apart. */
  salesforceRecord(company: Company): MatchRecord {
    const r = this.random;
    const moved = chance(0.08, r);
    const address = moved ? this.address(company.address.city) : company.address;
    const city = address.city;
    return {
      id: '',
      name: this.varyName(company),
      street: chance(0.1, r) ? '' : this.street(address, 1),
      city: chance(0.08, r) ? '' : chance(0.3, r) ? pick(city.variants, r) : city.city,
      postalCode: chance(0.3, r) ? '' : chance(0.1, r) && /^\d{5}$/.test(address.postal) ? `${address.postal}-${1000 + Math.floor(r() * 9000)}` : address.postal,
      phone: chance(0.3, r) ? '' : this.formatPhone(chance(moved ? 0.6 : 0.1, r) ? this.phone(city) : company.phone),
      website: chance(0.45, r) ? '' : this.formatWebsite(chance(0.05, r) ? company.domain.replace(/\.[a-z.]+$/, '.net') : company.domain),
    };
  }

  private varyName(company: Company): string {
    const r = this.random;
    let words = `${company.brand} ${company.industry}`.split(' ');
    if (chance(0.25, r)) words = swapWordVariant(words, r);
    if (chance(0.08, r) && words.length > 2) words = words.slice(0, -1);
    if (chance(0.12, r)) words = typoInLongestWord(words, r);
    if (chance(0.05, r)) words = splitOrJoinBrand(words, r);
    let name = words.join(' ');
    let legal = company.legal;
    if (legal && chance(0.3, r)) legal = null;
    else if (legal && chance(0.5, r)) legal = pick(LEGAL_FORM_SWAPS[legal] ?? [legal], r);
    else if (!legal && chance(0.25, r)) legal = pick(company.address.city.country === 'EU' ? LEGAL_FORMS_EU : LEGAL_FORMS_US, r);
    if (legal) name = legal.startsWith(',') ? `${name}${legal}` : `${name} ${legal}`;
    if (company.article) name = chance(0.4, r) ? `${name}, The` : chance(0.5, r) ? name : `The ${name}`;
    if (chance(0.05, r)) name = `${name} ${pick(['(Europe)', '(USA)', '- HQ', '(Head Office)'], r)}`;
    if (chance(0.5, r)) name = chance(0.6, r) ? ascii(name) : transliterate(name);
    const casing = r();
    return casing < 0.12 ? name.toUpperCase() : casing < 0.2 ? name.toLowerCase() : name;
  }

  /** Renders an address; `variant` 1 respells types, directions, units and ordinals at random. */
  private street(address: Address, variant: 0 | 1): string {
    const r = this.random;
    const spell = (spellings: readonly string[]) => (variant === 0 ? (spellings[0] ?? '') : pick(spellings, r));
    let street = address.street;
    const ordinal = ORDINALS[street];
    if (variant === 1 && ordinal && chance(0.5, r)) street = ordinal;
    if (variant === 1 && chance(0.05, r)) street = typoInLongestWord([street], r).join(' ');
    const european = EUROPEAN_STREET_NAMES.includes(address.street);
    const direction = address.direction ? `${spell(address.direction)} ` : '';
    const base = european ? `${street} ${address.number}` : `${address.number} ${direction}${street} ${spell(address.type)}`;
    if (!address.unit || (variant === 1 && chance(0.4, r))) return base;
    const [spellings, number] = address.unit;
    const designator = spell(spellings);
    return `${base}${chance(0.5, r) ? ',' : ''} ${designator}${designator === '#' ? '' : ' '}${number}`;
  }

  private formatPhone(digits: string): string {
    const r = this.random;
    if (digits.startsWith('1') && digits.length === 11) {
      const [a, b, c] = [digits.slice(1, 4), digits.slice(4, 7), digits.slice(7)];
      return pick([`(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `+1 ${a} ${b} ${c}`, `${a}${b}${c}`, `1-${a}-${b}-${c} x${Math.floor(r() * 900) + 100}`], r);
    }
    const national = digits.slice(2);
    return pick([`+49 ${national.slice(0, -7)} ${national.slice(-7)}`, `0${national.slice(0, -7)} ${national.slice(-7)}`, `0049${national}`], r);
  }

  private formatWebsite(domain: string): string {
    if (domain === '') return '';
    return pick([domain, `www.${domain}`, `https://www.${domain}/`, `http://${domain}`, `https://${domain}/contact`, `WWW.${domain.toUpperCase()}`], this.random);
  }
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function ascii(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').replace(/ø/g, 'o').replace(/Ł/g, 'L').replace(/ł/g, 'l').replace(/’/g, "'");
}

function transliterate(text: string): string {
  return ascii(text.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/Ä/g, 'Ae').replace(/Ö/g, 'Oe').replace(/Ü/g, 'Ue').replace(/å/g, 'aa'));
}

function swapWordVariant(words: string[], random: Random): string[] {
  const options = WORD_VARIANTS.filter(([long, short]) => words.includes(long) || words.includes(short));
  if (options.length === 0) return words;
  const [long, short] = pick(options, random);
  return words.map((word) => (word === long ? short : word === short ? long : word));
}

function typoInLongestWord(words: string[], random: Random): string[] {
  const longest = words.reduce((best, word, index) => (word.length > (words[best] ?? '').length ? index : best), 0);
  const word = words[longest] ?? '';
  if (word.length < 5) return words;
  const at = 1 + Math.floor(random() * (word.length - 2));
  const letter = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)] ?? 'e';
  const edits = [
    () => word.slice(0, at) + word.slice(at + 1),
    () => word.slice(0, at) + letter + word.slice(at + 1),
    () => word.slice(0, at) + letter + word.slice(at),
    () => word.slice(0, at) + (word[at + 1] ?? '') + (word[at] ?? '') + word.slice(at + 2),
  ];
  const copy = [...words];
  copy[longest] = pick(edits, random)();
  return copy;
}

// "Brightwater" ↔ "Bright Water": compound brands are written both ways.
function splitOrJoinBrand(words: string[], random: Random): string[] {
  const first = words[0] ?? '';
  const head = COMPOUND_HEADS.find((candidate) => first.toLowerCase().startsWith(candidate) && first.length > candidate.length);
  if (head) return [capitalize(head), capitalize(first.slice(head.length)), ...words.slice(1)];
  return chance(0.5, random) && words.length > 2 ? [`${first}${words[1] ?? ''}`, ...words.slice(2)] : words;
}

/** Exactly `size` records on each side (for the N × N benchmark); truth pairs cut with their records. */
export function generatePartnerDatasetOfSize(size: number, seed?: number): EvaluationDataset {
  for (let companies = Math.ceil(size / 0.85); ; companies = Math.ceil(companies * 1.1)) {
    const dataset = generatePartnerDataset({ companies, seed });
    if (dataset.left.length < size || dataset.right.length < size) continue;
    const left = dataset.left.slice(0, size);
    const right = dataset.right.slice(0, size);
    const leftIds = new Set(left.map((record) => record.id));
    const rightIds = new Set(right.map((record) => record.id));
    const truth = dataset.truth.filter(([l, r]) => leftIds.has(l) && rightIds.has(r));
    return { label: `synthetic-partners ${size}×${size}`, left, right, truth };
  }
}
