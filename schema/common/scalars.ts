/**
 * The scalars every subgraph uses, from graphql-scalars. Use them with an explicit type function,
 * e.g. `@Field(() => DateScalar)`. Defining the same scalar in several subgraphs composes fine.
 *
 * - DateScalar:      "2024-05-31" (DuckDB DATE columns come out of warehouse/db.ts in that form)
 * - DateTimeScalar:  RFC 3339 "2024-05-31T10:00:00Z" (select TIMESTAMP columns with core/sql isoTimestamp())
 * - UUIDScalar:      a GUID such as a Microsoft tenant id
 * - CountryCodeScalar: ISO 3166-1 alpha-2, "US"
 * - CurrencyScalar:  ISO 4217, "USD"
 * - NonNegativeIntScalar: counts
 */
// Every schema module imports this one: type-graphql needs the Reflect metadata API loaded first.
import 'reflect-metadata';

export {
  GraphQLDate as DateScalar,
  GraphQLDateTime as DateTimeScalar,
  GraphQLUUID as UUIDScalar,
  GraphQLCountryCode as CountryCodeScalar,
  GraphQLCurrency as CurrencyScalar,
  GraphQLNonNegativeInt as NonNegativeIntScalar,
} from 'graphql-scalars';
