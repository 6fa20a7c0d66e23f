import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { query, sql, type Sql } from '../../core/sql';
import type { SqlRunner } from '../../core/sql';
import { boundedText } from '../../core/bounds';

/** One offer of the partner's price list (products table), aliased to GraphQL field names. */
export interface ProductRow {
  /** The offer id (durable offer id): what a subscription refers to. */
  id: string;
  productId: string;
  skuId: string;
  name: string;
  skuName: string;
  offerName: string;
  productFamily: string;
  billingType: string;
  /** DECIMAL string: list price per license per month (License), per unit per term or month (OneTime). */
  listPriceAmount: string | null;
  currency: string | null;
  publisherName: string | null;
  isTrialOffer: boolean;
}

export const PRODUCT_COLUMNS = sql`p.offer_id AS id, p.product_id AS "productId", p.sku_id AS "skuId", p.product_name AS name,
  p.sku_name AS "skuName", p.offer_name AS "offerName", p.product_family AS "productFamily", p.billing_type AS "billingType",
  CAST(p.unit_price AS VARCHAR) AS "listPriceAmount", p.currency, p.publisher_name AS "publisherName", coalesce(p.is_trial_offer, false) AS "isTrialOffer"`;

export interface ProductFilterValues {
  /** Product, SKU or offer name contains (case-insensitive), or offer id / product id equals. */
  search?: string | null;
  productFamily?: string | null;
  billingType?: string | null;
  isTrialOffer?: boolean | null;
}

/**
 * The price list (for paginate). Products belong to the partner, not to a location: a
 * location-scoped caller sees the whole price list (it is what they can sell, not customer data).
 */
export function productListQuery(caller: Caller, filter: ProductFilterValues = {}): { select: Sql; from: Sql; orderBy: Sql } {
  const search = boundedText(filter.search?.trim() ?? '', 'searchText', 'filter.search').toLowerCase();
  const where = sql.and([
    scope(caller, 'p', null),
    search
      ? sql`contains(lower(p.product_name), ${search}) OR contains(lower(p.sku_name), ${search}) OR contains(lower(p.offer_name), ${search})
            OR lower(p.offer_id) = ${search} OR lower(p.product_id) = ${search}`
      : null,
    filter.productFamily ? sql`p.product_family = ${filter.productFamily}` : null,
    filter.billingType ? sql`p.billing_type = ${filter.billingType}` : null,
    filter.isTrialOffer != null ? sql`coalesce(p.is_trial_offer, false) = ${filter.isTrialOffer}` : null,
  ]);
  return {
    select: PRODUCT_COLUMNS,
    from: sql`products p WHERE ${where}`,
    orderBy: sql`p.product_family, lower(p.product_name), lower(p.offer_name), p.offer_id`,
  };
}

/** Offers by offer id, one statement per batch. */
export function productsByOfferIds(db: SqlRunner, caller: Caller, offerIds: readonly string[]): Promise<ProductRow[]> {
  return query<ProductRow & Record<string, unknown>>(
    db,
    sql`SELECT ${PRODUCT_COLUMNS} FROM products p WHERE ${scope(caller, 'p', null)} AND p.offer_id IN ${sql.list(offerIds)}`,
  );
}
