/**
 * Seeded pseudo-random numbers for the demo generator. Never Math.random: the same seed must give
 * byte-identical files. sfc32 seeded through cyrb128, with named forks so that each part of the
 * generator has its own stream (changing how many referrals are drawn does not move the customers).
 */

/** 128-bit string hash (cyrb128): four 32-bit seeds from any string. */
export function hashString(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(8, '0').slice(8 - width);

/** A GUID-shaped id derived from a name: stable identifiers for catalog items and meters. */
export function stableGuid(name: string): string {
  const [a, b, c, d] = hashString(name);
  return formatGuid(a, b, c, d);
}

function formatGuid(a: number, b: number, c: number, d: number): string {
  const b4 = ((b & 0xffff0fff) | 0x4000) >>> 0; // version 4
  const c4 = ((c & 0x3fffffff) | 0x80000000) >>> 0; // variant 10
  return `${hex(a, 8)}-${hex(b4 >>> 16, 4)}-${hex(b4, 4)}-${hex(c4 >>> 16, 4)}-${hex(c4, 4)}${hex(d, 8)}`;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seedText: string) {
    [this.a, this.b, this.c, this.d] = hashString(seedText);
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  static fromSeed(seed: number): Rng {
    return new Rng(`partner-insights:${seed}`);
  }

  /** An independent stream for one part of the generator. */
  fork(label: string): Rng {
    return new Rng(`${this.seedText}/${label}`);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight: [[value, weight], ...]. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, w] of items) {
      r -= w;
      if (r < 0) return value;
    }
    return items[items.length - 1][0];
  }

  /** Normal deviate (Box-Muller). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal integer around median, clamped to [min, max]. */
  logInt(median: number, spread: number, min: number, max: number): number {
    const value = Math.round(median * Math.exp(this.normal(0, spread)));
    return Math.max(min, Math.min(max, value));
  }

  guid(): string {
    return formatGuid(this.nextUint32(), this.nextUint32(), this.nextUint32(), this.nextUint32());
  }

  /** A string of decimal digits, first digit not zero. */
  digits(length: number): string {
    let s = String(this.int(1, 9));
    while (s.length < length) s += String(this.int(0, 9));
    return s;
  }

  /** A few distinct items. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < count && copy.length > 0) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]);
    return out;
  }
}
