import { Arg, Ctx, FieldResolver, Float, Query, Resolver, Root } from 'type-graphql';
import { Market } from '../../schema/accounts/location';
import { badUserInput, forbidden } from '../../core/errors';
import { Requires } from '../../schema/common/permissions';
import { hasPermission, rolesFor } from '../../core/permissions';
import { DateScalar } from '../../schema/common/scalars';
import { PartnerContributionIndicators, PciIndicator, PciIndicatorKind } from '../../schema/insights/pci';
import { pciScores } from '../../warehouse/insights/pci';
import type { RequestContext } from '../common/context';

function day(value: Date | string | null | undefined, argument: string): string | null {
  if (value === null || value === undefined) return null;
  const text = value instanceof Date ? (Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10)) : value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw badUserInput(`${argument} must be a date YYYY-MM-DD`, argument);
  return text;
}

/**
 * Partner contribution indicators. Needs readReports (Insights roles; MPN partner admin "View partner
 * contribution indicator data"); the net new revenue value (USD) additionally needs seeRevenue.
 * Self-contained: add PciResolver to the insights subgraph's resolvers.
 */
@Resolver(() => PciIndicator)
export class PciResolver {
  @Requires('readReports')
  @Query(() => PartnerContributionIndicators, {
    nullable: true,
    description:
      'Partner contribution indicators (PCI) per path: score 0-100, the seven indicators and the last 12 months. ' +
      "asOf: scored day and month (default: the Insights reports' as-of month, PI_TODAY's or the latest month with data, on its last day or today within it); " +
      'market: overrides the market derived from the locations; baseline: functional consultant growth snapshot date',
  })
  async partnerContributionIndicators(
    @Ctx() ctx: RequestContext,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: Date | string | null,
    @Arg('market', () => Market, { nullable: true }) market?: Market | null,
    @Arg('baseline', () => DateScalar, { nullable: true }) baseline?: Date | string | null,
  ): Promise<PartnerContributionIndicators> {
    const result = await pciScores(ctx.warehouse, ctx.caller, {
      // No date: the reports' as-of month (pciScores, defaultPciDay), not the calendar's today.
      asOf: day(asOf, 'asOf'),
      market: market ?? null,
      baseline: day(baseline, 'baseline'),
    });
    return result as unknown as PartnerContributionIndicators;
  }

  /** Net new revenue is money: null with FORBIDDEN for roles without seeRevenue (e.g. Report viewer). */
  @FieldResolver(() => Float, { nullable: true })
  value(@Root() indicator: PciIndicator, @Ctx() ctx: RequestContext): number | null {
    if (indicator.key === PciIndicatorKind.NET_NEW_REVENUE && !hasPermission(ctx.caller, 'seeRevenue')) {
      throw forbidden('PciIndicator.value (net new revenue)', rolesFor('seeRevenue'), 'seeRevenue');
    }
    return indicator.value;
  }
}
