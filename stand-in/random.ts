/**
 * Seeded pseudo-random numbers for the stand-in's data sets: the same seed gives the same data,
 * byte for byte. sfc32 seeded through a 128-bit string hash (cyrb128). A line item is drawn from
 * its own stream (`Prng.of(seed, invoice, kind, index)`), so any line can be rebuilt alone, in any
 * order, without keeping a million of them in memory.
 */

/** Four 32-bit seeds from a string (cyrb128). */
export function hash128(text: string): [number, number, number, number] {
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

/** A version-4-shaped GUID derived from a name. */
export function guidOf(name: string): string {
  const [a, b, c, d] = hash128(name);
  const b4 = ((b & 0xffff0fff) | 0x4000) >>> 0;
  const c4 = ((c & 0x3fffffff) | 0x80000000) >>> 0;
  return `${hex(a, 8)}-${hex(b4 >>> 16, 4)}-${hex(b4, 4)}-${hex(c4 >>> 16, 4)}-${hex(c4, 4)}${hex(d, 8)}`;
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seedText: string) {
    [this.a, this.b, this.c, this.d] = hash128(seedText);
    for (let i = 0; i < 8; i++) this.uint32();
  }

  /** A stream named by its parts: `Prng.of(seed, 'customer', 7)`. */
  static of(...parts: (string | number)[]): Prng {
    return new Prng(parts.join('|'));
  }

  uint32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A GUID from this stream. */
  guid(): string {
    return guidOf(`${this.uint32()}-${this.uint32()}-${this.uint32()}`);
  }

  /** Upper-case letters and digits, as Partner Center's commerce identifiers. */
  code(length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}
