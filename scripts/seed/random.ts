// A seeded pseudo-random source for reproducible seed data: the same seed gives the same data on every
// machine. xoshiro128** over a state derived from the seed text with FNV-1a and splitmix32.
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A version-4-shaped UUID drawn from this source (deterministic, unlike crypto.randomUUID). */
  uuid(): string;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRandom(seed: string | number): Random {
  const init = splitmix32(fnv1a(String(seed)));
  const s = [init(), init(), init(), init()];
  if (!s.some((v) => v !== 0)) s[0] = 1; // xoshiro must not start from all zeros
  const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  const nextUint = (): number => {
    const [s0, s1, s2, s3] = s as [number, number, number, number];
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s[2] = (s2 ^ s0) >>> 0;
    s[3] = (s3 ^ s1) >>> 0;
    s[1] = (s1 ^ (s[2] as number)) >>> 0;
    s[0] = (s0 ^ (s[3] as number)) >>> 0;
    s[2] = ((s[2] as number) ^ t) >>> 0;
    s[3] = rotl(s[3] as number, 11);
    return result;
  };
  const random: Random = {
    next: () => nextUint() / 4294967296,
    int: (min, max) => min + Math.floor(random.next() * (max - min + 1)),
    chance: (probability) => random.next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(random.next() * items.length)] as (typeof items)[number];
    },
    uuid: () => {
      const hex = Array.from({ length: 4 }, () => nextUint().toString(16).padStart(8, '0')).join('');
      const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
  };
  return random;
}
