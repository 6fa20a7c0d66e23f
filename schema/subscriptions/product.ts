import { ArgsType, Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, ConnectionArgs } from '../common/connection';
import '../common/scalars';

export enum ProductFamily {
  OFFICE_365 = 'Office 365',
  MICROSOFT_365 = 'Microsoft 365',
  DYNAMICS_365_CUSTOMER_ENGAGEMENT = 'Dynamics 365 Customer Engagement',
  DYNAMICS_365_FINANCE_AND_OPERATIONS = 'Dynamics 365 Finance and Operations',
  AZURE = 'Azure',
  ENTERPRISE_MOBILITY_SECURITY = 'Enterprise Mobility + Security',
  POWER_BI = 'Power BI',
  MARKETPLACE = 'Marketplace',
}
registerEnumType(ProductFamily, { name: 'ProductFamily', description: 'Product family of the catalog (Office 365, Azure, Marketplace, ...)' });

export enum BillingType {
  LICENSE = 'License',
  USAGE = 'Usage',
  ONE_TIME = 'OneTime',
}
registerEnumType(BillingType, { name: 'BillingType', description: 'License-based, usage-based, or one-time and recurring (new commerce)' });

/**
 * An offer of the partner's price list (products table): product, SKU, offer, family, billing type
 * and list price. Entity keyed by the offer id, which subscriptions refer to.
 *
 * The list price is NOT guarded by seeRevenue: it is the price list every seller works from
 * (Partner Center shows "price lists and offers" to the agents who sell), not money the partner
 * made. What a customer actually pays (`Subscription.unitPrice`) and the charges are guarded.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An offer of the price list: product, SKU, offer and list price' })
export class Product {
  @Field(() => ID, { description: 'The offer id (durable offer id)' })
  id!: string;

  @Field(() => String)
  productId!: string;

  @Field(() => String)
  skuId!: string;

  @Field(() => String, { description: 'Product name' })
  name!: string;

  @Field(() => String)
  skuName!: string;

  @Field(() => String)
  offerName!: string;

  @Field(() => ProductFamily)
  productFamily!: ProductFamily;

  @Field(() => BillingType)
  billingType!: BillingType;

  @Field(() => String, { nullable: true, description: 'Microsoft, or the third-party (ISV) publisher of a marketplace offer' })
  publisherName!: string | null;

  @Field(() => Boolean, { description: 'A 30-day free trial offer (25 licenses)' })
  isTrialOffer!: boolean;

  /** DECIMAL string and currency, resolved to `listPrice`. */
  listPriceAmount!: string | null;
  currency!: string | null;
}

@ObjectType()
export class ProductConnection extends Connection(Product) {}

@InputType()
export class ProductFilter {
  @Field(() => String, { nullable: true, description: 'Product, SKU or offer name contains (case-insensitive), or offer/product id equals' })
  search?: string | null;

  @Field(() => ProductFamily, { nullable: true })
  productFamily?: ProductFamily | null;

  @Field(() => BillingType, { nullable: true })
  billingType?: BillingType | null;

  @Field(() => Boolean, { nullable: true, description: 'Only trial offers (true) or only paid offers (false)' })
  isTrialOffer?: boolean | null;
}

@ArgsType()
export class ProductsArgs extends ConnectionArgs {
  @Field(() => ProductFilter, { nullable: true })
  filter?: ProductFilter | null;
}
