import 'reflect-metadata';
import { Directive, Field, ObjectType } from 'type-graphql';

/**
 * An exact amount of money. `amount` is the DECIMAL from the warehouse as a string ("1234.500000"),
 * never a float; sums are done in DuckDB. Shareable: every subgraph that returns money defines it.
 * Guard money fields with `@Requires('seeRevenue')` (or 'seeBilling').
 */
@Directive('@shareable')
@ObjectType({ description: 'An exact amount of money in a currency' })
export class Money {
  @Field(() => String, { description: 'Exact decimal amount, e.g. "1234.50"; never a float' })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 currency code, e.g. "USD"' })
  currency!: string;
}

/** Money from a DECIMAL string and a currency, or null when either is missing. */
export function money(amount: string | null | undefined, currency: string | null | undefined): Money | null {
  return amount == null || currency == null ? null : { amount: String(amount), currency };
}
