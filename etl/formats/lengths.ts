import type { ColumnSpec } from './types';

/**
 * How long a text value may be, by what the column holds. A longer value is no Partner Center
 * value (a 1 MB company name is a broken or hostile file): its row is quarantined naming the column
 * and the bound. A column's own `maxLength` wins; else the first bound whose pattern matches the
 * warehouse column; else TEXT_MAX_LENGTH. Bounds are generous where the domain is loose (country
 * columns hold codes or names: "US", "United States").
 */
export const TEXT_MAX_LENGTH = 4096;

export interface LengthBound {
  /** Warehouse column names the bound applies to. */
  columns: RegExp;
  max: number;
  /** What the column holds, for the reason ("a currency code"). */
  what: string;
}

export const LENGTH_BOUNDS: readonly LengthBound[] = [
  { columns: /(^|_)currency$/, max: 3, what: 'an ISO 4217 currency code' },
  { columns: /(^|_)country$/, max: 64, what: 'a country or region code or name' },
  // JSON text: Azure allows 50 tags of up to 512 + 256 characters.
  { columns: /^(tags|additional_info|price_adjustment_description|product_qualifiers)$/, max: 65_536, what: 'JSON text' },
  { columns: /(^|_)email$/, max: 254, what: 'an email address' },
  { columns: /(^|_)domain(_name)?$/, max: 253, what: 'a domain name' },
  // GUIDs (36), MPN IDs, invoice numbers, order, offer and SKU ids: far shorter.
  { columns: /(^|_)(id|number)$/, max: 128, what: 'an identifier' },
];

/** The bound of a text column: its maxLength, else the first matching LENGTH_BOUNDS entry, else TEXT_MAX_LENGTH. */
export function lengthBound(spec: Pick<ColumnSpec, 'column' | 'maxLength'>): { max: number; what: string } {
  if (spec.maxLength !== undefined) return { max: spec.maxLength, what: 'text' };
  return LENGTH_BOUNDS.find((b) => b.columns.test(spec.column)) ?? { max: TEXT_MAX_LENGTH, what: 'text' };
}
