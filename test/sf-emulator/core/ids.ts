// Salesforce record ids: a 3-char key prefix, 12 more case-sensitive base-62 characters, and a 3-char
// suffix that encodes the case of the first 15 so the 18-char form survives case-insensitive systems.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_CHARS = /^[a-zA-Z0-9]+$/;

/** The 3-char checksum of a 15-char id: one character per 5-char chunk, bit i set when char i is A–Z. */
export function idSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const code = id15.charCodeAt(chunk * 5 + i);
      if (code >= 65 && code <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/**
 * The canonical 18-char form of a 15- or 18-char id, or undefined when it is not an id. An 18-char id's
 * first 15 characters get their case back from the suffix, as Salesforce does.
 */
export function canonicalId(value: unknown): string | undefined {
  if (typeof value !== 'string' || (value.length !== 15 && value.length !== 18) || !ID_CHARS.test(value)) return undefined;
  if (value.length === 15) return value + idSuffix(value);
  const suffix = value.slice(15).toUpperCase();
  let restored = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = SUFFIX_ALPHABET.indexOf(suffix[chunk] ?? '');
    if (bits < 0) return undefined;
    for (let i = 0; i < 5; i++) {
      const ch = value[chunk * 5 + i] ?? '';
      const upper = (bits & (1 << i)) !== 0;
      if (upper && !/[a-zA-Z]/.test(ch)) return undefined;
      restored += upper ? ch.toUpperCase() : /[A-Z]/.test(ch) ? ch.toLowerCase() : ch;
    }
  }
  return restored + suffix;
}

export function toBase62(value: number, width: number): string {
  let out = '';
  let rest = Math.floor(value);
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0').slice(-width);
}

/**
 * Hands out ids per key prefix: prefix + 2-char pod + '0' + 9 base-62 digits + checksum. The counter is
 * spread by a prime step so ids carry mixed case (and a non-trivial checksum) like real ones.
 */
export class IdFactory {
  private readonly counters = new Map<string, number>();

  constructor(
    private readonly pod = 'Gm',
    private readonly start = 1_000_000,
  ) {}

  next(prefix: string): string {
    if (!/^[a-zA-Z0-9]{3}$/.test(prefix)) throw new Error(`Key prefix must be 3 characters, got "${prefix}"`);
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    const spread = (prefix.charCodeAt(0) * 31 + prefix.charCodeAt(1) * 7 + prefix.charCodeAt(2)) * 104_729;
    const id15 = prefix + this.pod + '0' + toBase62(this.start + spread + n * 7_919, 9);
    return id15 + idSuffix(id15);
  }
}
