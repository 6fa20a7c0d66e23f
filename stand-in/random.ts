import { Rng, stableGuid } from '../etl/generate/random';

/**
 * Seeded pseudo-random numbers for the stand-in's data sets: the same seed gives the same data,
 * byte for byte. The demo generator's sfc32 (etl/generate/random.ts); a line item is drawn from its
 * own stream (`Prng.of(seed, invoice, kind, index)`), so any line can be rebuilt alone, in any
 * order, without keeping a million of them in memory.
 */

/** A version-4-shaped GUID derived from a name. */
export const guidOf = stableGuid;

export class Prng extends Rng {
  /** A stream named by its parts: `Prng.of(seed, 'customer', 7)`. */
  static of(...parts: (string | number)[]): Prng {
    return new Prng(parts.join('|'));
  }

  /** A GUID from this stream. */
  guid(): string {
    return guidOf(`${this.nextUint32()}-${this.nextUint32()}-${this.nextUint32()}`);
  }

  /** Upper-case letters and digits, as Partner Center's commerce identifiers. */
  code(length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}
