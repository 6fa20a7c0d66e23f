import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { notFound } from '../../core/errors';
import { Money, money } from '../../schema/common/money';
import { Requires } from '../../schema/common/permissions';
import { Product, ProductConnection, ProductsArgs } from '../../schema/subscriptions/product';
import { productListQuery } from '../../warehouse/subscriptions/products';
import { paginate } from '../common/connection';
import type { RequestContext } from '../common/context';
import { productByOfferId } from './loaders';

@Resolver(() => Product)
export class ProductResolver {
  @Requires('readSubscriptions')
  @Query(() => ProductConnection, { nullable: true, description: 'The price list: offers the partner can sell, by family and name' })
  async products(@Args(() => ProductsArgs) args: ProductsArgs, @Ctx() ctx: RequestContext): Promise<ProductConnection> {
    const filter = { ...(args.filter ?? {}) };
    return paginate(ctx, { name: 'products', fingerprint: filter, args, ...productListQuery(ctx.caller, filter) }) as Promise<ProductConnection>;
  }

  @Requires('readSubscriptions')
  @Query(() => Product, { nullable: true, description: 'An offer of the price list by offer id' })
  async product(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Product> {
    const row = await productByOfferId(ctx).load(id);
    if (!row) throw notFound('Product', id);
    return row as Product;
  }

  @FieldResolver(() => Money, {
    nullable: true,
    description: 'List price (per license per month for licenses). Price-list data, not revenue: not restricted to revenue roles',
  })
  listPrice(@Root() p: Product): Money | null {
    return money(p.listPriceAmount, p.currency);
  }
}
