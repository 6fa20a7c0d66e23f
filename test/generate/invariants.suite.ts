import { join } from 'node:path';
import { REFERRAL_RESPONSE_DAYS } from '../../core/vocabulary';
import type { GeneratedSummary } from '../../etl/generate';
import { licenseHistoryFromEvents, oneTimeHistoryFromEvents } from '../../warehouse/billing/history';
import { dates, expectedLicenseCharges, expectedOneTimeCharges } from '../../warehouse/billing';
import { csv, Duck, generateInto, removeDir } from './support';

const isoOfUs = (d: string) => {
  const [m, day, y] = d.split('/');
  return `${y}-${m.padStart(2, '0')}-${day.padStart(2, '0')}`;
};

describe('demo data invariants', () => {
  let dir: string;
  let summary: GeneratedSummary;
  let duck: Duck;
  const files = (format: string, partnerId?: string) =>
    summary.files.filter((f) => f.format === format && (!partnerId || f.partnerId === partnerId)).map((f) => join(dir, f.path));

  beforeAll(async () => {
    ({ dir, summary } = await generateInto('invariants', { seed: 5, customers: 120, usageRows: 60_000 }));
    duck = await Duck.open();
  });
  afterAll(() => {
    duck?.close();
    removeDir(dir);
  });

  it('has a direct bill partner and an indirect provider with resellers, locations in developed and developing markets', async () => {
    expect(summary.partners.length).toBeGreaterThanOrEqual(2);
    const types = summary.partners.map((p) => p.type);
    expect(types).toEqual(expect.arrayContaining(['Direct bill partner', 'Indirect provider']));
    const resellers = await duck.rows<{ PartnerId: string; n: string }>(`SELECT PartnerId, count(*) AS n FROM ${csv(files('resellers'))} GROUP BY ALL`);
    const indirect = summary.partners.find((p) => p.type === 'Indirect provider')!;
    expect(Number(resellers.find((r) => r.PartnerId === indirect.id)?.n)).toBeGreaterThanOrEqual(2);
    const markets = await duck.rows<{ Market: string }>(`SELECT DISTINCT Market FROM ${csv(files('locations'))} ORDER BY 1`);
    expect(markets.map((m) => m.Market)).toEqual(['Developed', 'Developing']);
    // Indirect customers belong to one of the provider's resellers.
    const orphans = await duck.one<{ n: string }>(
      `SELECT count(*) AS n FROM ${csv(files('customers', indirect.id))} c WHERE c.ResellerMpnId IS NULL OR c.ResellerMpnId NOT IN (SELECT ResellerMpnId FROM ${csv(files('resellers', indirect.id))})`,
    );
    expect(orphans.n).toBe('0');
    // Location-scoped users carry MPN IDs of their partner's locations.
    const users = await duck.rows<{ PartnerId: string; Roles: string; LocationMpnIds: string | null }>(`SELECT PartnerId, Roles, LocationMpnIds FROM ${csv(files('users'))}`);
    const scoped = users.filter((u) => u.LocationMpnIds);
    expect(scoped.length).toBeGreaterThan(0);
    for (const u of scoped) {
      const mpns = summary.partners.find((p) => p.id === u.PartnerId)!.locations.map((l) => l.mpnId);
      for (const id of u.LocationMpnIds!.split('|')) expect(mpns).toContain(id);
    }
  });

  it('bills license subscriptions exactly as the billing rules say (recomputed from the events file)', async () => {
    let compared = 0;
    for (const partner of summary.partners) {
      const first = partner.invoiceDates[0];
      const through = partner.invoiceDates[partner.invoiceDates.length - 1];
      const subs = await duck.rows<Record<string, string>>(
        `SELECT * FROM ${csv(files('subscriptions', partner.id))} WHERE BillingType = 'License' ORDER BY "Subscription ID"`,
      );
      // A sample: every fifth subscription, and all with suspensions, cancellations or trials.
      const sample = subs.filter((s, i) => i % 5 === 0 || s.SuspendedDate || s.CanceledDate || s.TrialStartDate);
      const ids = sample.map((s) => `'${s['Subscription ID']}'`).join(',');
      const events = await duck.rows<Record<string, string>>(
        `SELECT *, row_number() OVER () AS n FROM ${csv(files('subscription-events', partner.id))} WHERE SubscriptionId IN (${ids})`,
      );
      const invoiceDate = new Map(
        (await duck.rows<{ InvoiceNumber: string; InvoiceDate: string }>(`SELECT InvoiceNumber, InvoiceDate FROM ${csv(files('invoices', partner.id))}`)).map((r) => [r.InvoiceNumber, r.InvoiceDate]),
      );
      const lines = await duck.rows<Record<string, string>>(
        `SELECT * FROM ${csv(files('license-recon', partner.id))} WHERE SyndicationPartnerSubscriptionNumber IN (${ids})`,
      );
      for (const s of sample) {
        const id = s['Subscription ID'];
        const history = licenseHistoryFromEvents(
          { subscriptionId: id, billingFrequency: s.BillingFrequency, unitPrice: s.UnitPrice, currency: s.Currency, billingDay: partner.billingDay, hadTrial: !!s.TrialStartDate },
          events
            .filter((e) => e.SubscriptionId === id)
            .sort((a, b) => Number(a.n) - Number(b.n))
            .map((e) => ({ eventId: e.EventId, date: e.EventDate, type: e.EventType, quantityAfter: e.QuantityAfter === null ? undefined : Number(e.QuantityAfter) })),
        );
        const expected = history
          ? expectedLicenseCharges(history, { through })
              .filter((l) => l.invoiceDate >= first && l.invoiceDate <= through)
              .map((l) => [l.invoiceDate, l.chargeStartDate, l.chargeEndDate, l.chargeType, l.unitPrice, l.quantity, l.amount, l.currency].join(' '))
              .sort()
          : [];
        const actual = lines
          .filter((l) => l.SyndicationPartnerSubscriptionNumber === id)
          .map((l) =>
            [invoiceDate.get(l.InvoiceNumber), isoOfUs(l.ChargeStartDate), isoOfUs(l.ChargeEndDate), l.ChargeType, l.UnitPrice, Number(l.Quantity), l.Amount, l.Currency].join(' '),
          )
          .sort();
        expect({ id, lines: actual }).toEqual({ id, lines: expected });
        compared += expected.length;
      }
    }
    expect(compared).toBeGreaterThan(200);
  });

  it('bills reservations and SaaS subscriptions exactly as the one-time rules say (recomputed from the events file)', async () => {
    let compared = 0;
    for (const partner of summary.partners) {
      const first = partner.invoiceDates[0];
      const through = partner.invoiceDates[partner.invoiceDates.length - 1];
      const subs = await duck.rows<Record<string, string>>(
        `SELECT s.*, p.SkuName FROM ${csv(files('subscriptions', partner.id))} s JOIN ${csv(files('products', partner.id))} p USING (OfferId) WHERE s.BillingType = 'OneTime'`,
      );
      const events = await duck.rows<Record<string, string>>(`SELECT *, row_number() OVER () AS n FROM ${csv(files('subscription-events', partner.id))}`);
      const invoiceDate = new Map(
        (await duck.rows<{ InvoiceNumber: string; InvoiceDate: string }>(`SELECT InvoiceNumber, InvoiceDate FROM ${csv(files('invoices', partner.id))}`)).map((r) => [r.InvoiceNumber, r.InvoiceDate]),
      );
      const lines = await duck.rows<Record<string, string>>(`SELECT * FROM ${csv(files('onetime-recon', partner.id))}`);
      for (const s of subs) {
        const id = s['Subscription ID'];
        const termMonths = s.BillingFrequency === 'None' ? dates.monthsBetween(s.TermStartDate, dates.addDays(s.TermEndDate, 1)) : undefined;
        const history = oneTimeHistoryFromEvents(
          { subscriptionId: id, currency: s.Currency, unitPrice: s.UnitPrice, sku: s.SkuName, description: s.Subscription, termMonths },
          events
            .filter((e) => e.SubscriptionId === id)
            .sort((a, b) => Number(a.n) - Number(b.n))
            .map((e) => ({ eventId: e.EventId, date: e.EventDate, type: e.EventType, quantityAfter: e.QuantityAfter === null ? undefined : Number(e.QuantityAfter) })),
          summary.asOf,
        );
        const expected = expectedOneTimeCharges(history!, { through })
          .map((l) => ({ ...l, invoiceDate: dates.nextDayOfMonth(l.orderDate, partner.billingDay) }))
          .filter((l) => l.invoiceDate >= first && l.invoiceDate <= through)
          .map((l) => [l.invoiceDate, l.orderDate, l.chargeStartDate, l.chargeEndDate, l.chargeType, l.unitPrice, l.quantity, l.amount].join(' '))
          .sort();
        const actual = lines
          .filter((l) => l.SubscriptionId === id)
          .map((l) =>
            [invoiceDate.get(l.InvoiceNumber), isoOfUs(l.OrderDate), isoOfUs(l.ChargeStartDate), isoOfUs(l.ChargeEndDate), l.ChargeType, l.UnitPrice, Number(l.Quantity), l.Subtotal].join(' '),
          )
          .sort();
        expect({ id, lines: actual }).toEqual({ id, lines: expected });
        compared += expected.length;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('makes each invoice the sum of its reconciliation files', async () => {
    const sums = await duck.rows<Record<string, string>>(`
      WITH lic AS (
        SELECT InvoiceNumber, sum(Subtotal::DECIMAL(18,6)) AS license, sum(Tax::DECIMAL(18,6)) AS tax,
          count(*) FILTER (WHERE Subtotal::DECIMAL(18,6) + Tax::DECIMAL(18,6) <> TotalForCustomer::DECIMAL(18,6)) AS bad
        FROM ${csv(files('license-recon'))} GROUP BY ALL
      ), usage AS (
        SELECT InvoiceNumber, sum(BillingPreTaxTotal::DECIMAL(18,6)) AS usage FROM ${csv(files('daily-usage-recon'))} GROUP BY ALL
      ), one AS (
        SELECT InvoiceNumber, sum(Subtotal::DECIMAL(18,6)) AS onetime, sum(TaxTotal::DECIMAL(18,6)) AS tax,
          count(*) FILTER (WHERE Subtotal::DECIMAL(18,6) + TaxTotal::DECIMAL(18,6) <> Total::DECIMAL(18,6)) AS bad
        FROM ${csv(files('onetime-recon'))} GROUP BY ALL
      )
      SELECT i.InvoiceNumber, i.InvoiceType,
        i.LicenseBasedCharges::DECIMAL(18,6) - coalesce(lic.license, 0) AS license_diff,
        i.UsageBasedCharges::DECIMAL(18,6) - coalesce(usage.usage, 0) AS usage_diff,
        i.OneTimeCharges::DECIMAL(18,6) - coalesce(one.onetime, 0) AS onetime_diff,
        i.Tax::DECIMAL(18,6) - coalesce(lic.tax, 0) - coalesce(one.tax, 0) AS tax_diff,
        i.Subtotal::DECIMAL(18,6) - (i.LicenseBasedCharges::DECIMAL(18,6) + i.UsageBasedCharges::DECIMAL(18,6) + i.OneTimeCharges::DECIMAL(18,6)) AS subtotal_diff,
        i.TotalCurrentCharges::DECIMAL(18,6) - (i.Subtotal::DECIMAL(18,6) + i.Tax::DECIMAL(18,6)) AS total_diff,
        coalesce(lic.bad, 0) + coalesce(one.bad, 0) AS bad_lines,
        (lic.InvoiceNumber IS NOT NULL OR usage.InvoiceNumber IS NOT NULL OR one.InvoiceNumber IS NOT NULL) AS has_lines
      FROM ${csv(files('invoices'))} i
      LEFT JOIN lic USING (InvoiceNumber) LEFT JOIN usage USING (InvoiceNumber) LEFT JOIN one USING (InvoiceNumber)`);
    expect(sums.length).toBeGreaterThan(20);
    const wrong = sums.filter(
      (r) => [r.license_diff, r.usage_diff, r.onetime_diff, r.tax_diff, r.subtotal_diff, r.total_diff].some((d) => Number(d) !== 0) || r.bad_lines !== '0' || !r.has_lines,
    );
    expect(wrong).toEqual([]);
    // Some invoices carry tax (GBP VAT, AUD GST) and some one-time invoices exist.
    expect(sums.some((r) => r.InvoiceType === 'OneTime')).toBe(true);
    const taxed = await duck.one<{ n: string }>(`SELECT count(*) AS n FROM ${csv(files('invoices'))} WHERE Tax::DECIMAL(18,6) <> 0`);
    expect(Number(taxed.n)).toBeGreaterThan(0);
    // The reconciliation lines of an invoice are in its currency.
    const mixed = await duck.one<{ n: string }>(
      `SELECT count(*) AS n FROM ${csv(files('license-recon'))} l JOIN ${csv(files('invoices'))} i USING (InvoiceNumber) WHERE l.Currency <> i.Currency`,
    );
    expect(mixed.n).toBe('0');
  });

  it('rates daily usage per billing-facts.md: PEC 0 or 15, EffectiveUnitPrice = UnitPrice × (1 - PEC), BillingPreTaxTotal = floor(EUP × Quantity × rate, 2)', async () => {
    const usage = csv(files('daily-usage-recon'));
    const r = await duck.one<Record<string, string>>(`
      SELECT count(*) AS n,
        count(*) FILTER (WHERE PartnerEarnedCreditPercentage NOT IN ('0', '15')) AS bad_pec,
        count(*) FILTER (WHERE abs(EffectiveUnitPrice::DECIMAL(18,6) - UnitPrice::DECIMAL(18,6) * (100 - PartnerEarnedCreditPercentage::INTEGER) / 100) > 0.000001) AS bad_eup,
        count(*) FILTER (WHERE BillingPreTaxTotal::DECIMAL(18,6) <> floor(EffectiveUnitPrice::DECIMAL(18,6) * Quantity::DECIMAL(18,6) * PCToBCExchangeRate::DECIMAL(18,6) * 100) / 100) AS bad_total,
        count(DISTINCT PartnerEarnedCreditPercentage) AS pecs,
        count(*) FILTER (WHERE BillingCurrency <> PricingCurrency) AS converted,
        count(*) FILTER (WHERE BillingCurrency <> PricingCurrency AND PCToBCExchangeRate::DECIMAL(18,6) = 1) AS bad_rate,
        count(DISTINCT BillingCurrency) AS currencies,
        count(DISTINCT MeterCategory) AS categories,
        count(*) FILTER (WHERE CreditType IS NOT NULL OR BenefitType IS NOT NULL) AS with_credit_or_benefit,
        count(*) - count(DISTINCT (SubscriptionId, ResourceURI, UsageDate)) AS duplicates
      FROM ${usage}`);
    expect(r).toMatchObject({ bad_pec: '0', bad_eup: '0', bad_total: '0', pecs: '2', bad_rate: '0', duplicates: '0' });
    expect(Number(r.n)).toBe(summary.usageRows);
    expect(Number(r.converted)).toBeGreaterThan(0);
    expect(Number(r.currencies)).toBeGreaterThanOrEqual(2);
    expect(Number(r.categories)).toBeGreaterThanOrEqual(6);
    expect(Number(r.with_credit_or_benefit)).toBeLessThan(Number(r.n) * 0.1);
    // Usage belongs to Azure plan subscriptions of the partner's customers, within the invoice's billing period.
    const stray = await duck.one<Record<string, string>>(`
      SELECT count(*) FILTER (WHERE s."Subscription ID" IS NULL OR s.BillingType <> 'Usage' OR s.CustomerId <> u.CustomerId) AS bad_sub,
        count(*) FILTER (WHERE strptime(u.UsageDate, '%m/%d/%Y')::DATE NOT BETWEEN i.BillingPeriodStart::DATE AND i.BillingPeriodEnd::DATE) AS bad_date,
        count(*) FILTER (WHERE strptime(u.UsageDate, '%m/%d/%Y')::DATE < s.CreatedDate::DATE) AS before_purchase,
        count(*) FILTER (WHERE strptime(u.UsageDate, '%m/%d/%Y')::DATE > DATE '${summary.asOf}') AS after_as_of
      FROM ${usage} u LEFT JOIN ${csv(files('subscriptions'))} s ON s."Subscription ID" = u.SubscriptionId
      JOIN ${csv(files('invoices'))} i ON i.InvoiceNumber = u.InvoiceNumber`);
    expect(stray).toEqual({ bad_sub: '0', bad_date: '0', before_purchase: '0', after_as_of: '0' });
  });

  it('moves referrals through their stages with consistent timings', async () => {
    const referrals = await duck.rows<Record<string, string | null>>(`SELECT * FROM ${csv(files('referrals'))}`);
    const statuses = new Set(referrals.map((r) => r.Status));
    expect([...statuses].sort()).toEqual(['Active', 'Declined', 'Expired', 'Lost', 'New', 'Won']);
    const t = (s: string | null) => (s ? Date.parse(`${s.replace(' ', 'T')}Z`) : NaN);
    const asOfEnd = Date.parse(`${summary.asOf}T23:59:59Z`);
    const dayMs = 86_400_000;
    const problems: string[] = [];
    for (const r of referrals) {
      const created = t(r.CreatedDateTime);
      const stamps = { accepted: t(r.AcceptedDateTime), declined: t(r.DeclinedDateTime), won: t(r.WonDateTime), lost: t(r.LostDateTime), expired: t(r.ExpiredDateTime) };
      const set = Object.entries(stamps).filter(([, v]) => !Number.isNaN(v)).map(([k]) => k).sort().join(',');
      const expectedSet: Record<string, string> = { New: '', Active: 'accepted', Won: 'accepted,won', Lost: 'accepted,lost', Declined: 'declined', Expired: 'expired' };
      if (set !== expectedSet[r.Status!]) problems.push(`${r.ReferralId} ${r.Status} has ${set}`);
      if (stamps.accepted <= created || stamps.declined <= created) problems.push(`${r.ReferralId} answered before it was created`);
      if (stamps.accepted - created >= REFERRAL_RESPONSE_DAYS * dayMs || stamps.declined - created >= REFERRAL_RESPONSE_DAYS * dayMs) problems.push(`${r.ReferralId} answered after the response window`);
      if (r.Status === 'Expired' && stamps.expired - created < REFERRAL_RESPONSE_DAYS * dayMs) problems.push(`${r.ReferralId} expired after less than ${REFERRAL_RESPONSE_DAYS} days`);
      if (r.Status === 'New' && asOfEnd - created >= REFERRAL_RESPONSE_DAYS * dayMs) problems.push(`${r.ReferralId} still New after ${REFERRAL_RESPONSE_DAYS} days`);
      if ((stamps.won || stamps.lost) <= stamps.accepted) problems.push(`${r.ReferralId} closed before accepted`);
      if (Math.max(...Object.values(stamps).filter((v) => !Number.isNaN(v)), created) > asOfEnd) problems.push(`${r.ReferralId} has a stage after the as-of date`);
      if (r.Status !== 'New' && r.Status !== 'Declined' && r.Status !== 'Expired' && (!r.DealValue || !r.DealValueUsd)) problems.push(`${r.ReferralId} accepted without deal value`);
    }
    expect(problems).toEqual([]);
    expect(referrals.some((r) => r.Currency && r.Currency !== 'USD')).toBe(true);
    const registrations = await duck.rows<Record<string, string | null>>(`SELECT d.*, r.Status AS referral_status FROM ${csv(files('deal-registrations'))} d LEFT JOIN ${csv(files('referrals'))} r USING (ReferralId)`);
    expect(registrations.filter((d) => d.ReferralId).length).toBeGreaterThan(0);
    expect(registrations.filter((d) => d.ReferralId && d.referral_status !== 'Won')).toEqual([]);
  });

  it('keeps license telemetry plausible and lets Dynamics tenants cross the PCI large-deployment thresholds', async () => {
    const lu = await duck.one<Record<string, string>>(`
      SELECT count(*) AS n,
        count(*) FILTER (WHERE LicensesAssigned::INTEGER > LicensesPurchased::INTEGER) AS over_assigned,
        count(*) FILTER (WHERE ActiveUsers28Days::INTEGER > LicensesAssigned::INTEGER) AS over_active
      FROM ${csv(files('license-usage'))}`);
    expect(Number(lu.n)).toBeGreaterThan(500);
    expect(Number(lu.over_assigned)).toBeLessThan(Number(lu.n) * 0.05);
    expect(Number(lu.over_active)).toBeLessThan(Number(lu.n) * 0.05);
    const crossings = await duck.one<{ n: string }>(`
      WITH m AS (SELECT CustomerId, Workload, Month::DATE AS month, ActiveUsers::INTEGER AS users FROM ${csv(files('monthly-active-users'))}
                 WHERE Workload LIKE 'Dynamics 365%'),
      t AS (SELECT CustomerId, Workload, arg_min(users, month) AS first_users, max(users) AS peak FROM m GROUP BY ALL)
      SELECT count(*) AS n FROM t
      WHERE (Workload = 'Dynamics 365 Customer Engagement' AND first_users < 150 AND peak >= 150)
         OR (Workload = 'Dynamics 365 Finance and Operations' AND first_users < 50 AND peak >= 50)`);
    expect(Number(crossings.n)).toBeGreaterThan(0);
  });

  it('has Dynamics 365 consultants and developers certified before and after the PCI baseline', async () => {
    const certs = await duck.rows<{ CredentialCode: string; before: string; after: string }>(`
      SELECT CredentialCode, count(*) FILTER (WHERE AchievedDate < '${summary.pciBaseline}') AS before, count(*) FILTER (WHERE AchievedDate >= '${summary.pciBaseline}') AS after
      FROM ${csv(files('certifications'))} GROUP BY ALL`);
    const by = new Map(certs.map((c) => [c.CredentialCode, c]));
    for (const code of ['MB-200', 'MB-300', 'MB-400', 'MB-500']) expect(by.has(code)).toBe(true);
    expect(['MB-210', 'MB-220', 'MB-230', 'MB-240'].some((c) => by.has(c))).toBe(true);
    expect(['MB-310', 'MB-320', 'MB-330'].some((c) => by.has(c))).toBe(true);
    expect(Number(by.get('MB-200')!.before)).toBeGreaterThan(0);
    expect(Number(by.get('MB-200')!.after)).toBeGreaterThan(0);
  });

  it('has assessments and Microsoft Learn completions of the certified individuals, a learning path after all its modules', async () => {
    const r = await duck.one<Record<string, string>>(`
      WITH c AS (SELECT * FROM ${csv(files('certifications'))}),
      people AS (SELECT DISTINCT IndividualId FROM c WHERE CredentialType IN ('Exam', 'Certification'))
      SELECT
        (SELECT count(*) FROM c WHERE CredentialType = 'Assessment') AS assessments,
        (SELECT count(*) FROM c WHERE CredentialType = 'Module') AS modules,
        (SELECT count(*) FROM c WHERE CredentialType = 'Learning path') AS paths,
        (SELECT count(*) FROM c WHERE IndividualId NOT IN (SELECT IndividualId FROM people)) AS strangers,
        (SELECT count(*) FROM c WHERE AchievedDate::DATE > '${summary.asOf}') AS future,
        (SELECT count(*) FROM (SELECT PartnerId, IndividualId, CredentialCode FROM c GROUP BY ALL HAVING count(*) > 1)) AS duplicate_keys`);
    expect(r).toMatchObject({ strangers: '0', future: '0', duplicate_keys: '0' });
    for (const k of ['assessments', 'modules', 'paths']) expect(Number(r[k])).toBeGreaterThan(0);
    // Each learning path completion is dated on its last module's completion.
    const paths = await duck.one<{ n: string; bad: string }>(`
      WITH c AS (SELECT * FROM ${csv(files('certifications'))})
      SELECT count(*) AS n, count(*) FILTER (WHERE p.AchievedDate <> (SELECT max(m.AchievedDate) FROM c m
        WHERE m.IndividualId = p.IndividualId AND m.CredentialType = 'Module' AND m.AchievedDate <= p.AchievedDate
          AND m.AchievedDate::DATE >= p.AchievedDate::DATE - INTERVAL 60 DAY)) AS bad
      FROM c p WHERE p.CredentialType = 'Learning path'`);
    expect(Number(paths.n)).toBeGreaterThan(0);
    expect(paths.bad).toBe('0');
  });

  it('has business profile figures for every location and day of its 7 months: views within results, a contact click for each referral from the profile', async () => {
    const r = await duck.one<Record<string, string>>(`
      WITH b AS (SELECT PartnerId, MpnId, Date::DATE AS Date, SearchResults::INTEGER AS SearchResults, PageViews::INTEGER AS PageViews,
                        ContactClicks::INTEGER AS ContactClicks FROM ${csv(files('business-profile-metrics'))}),
      days AS (SELECT PartnerId, MpnId, Date, sum(ContactClicks) AS clicks FROM b GROUP BY ALL),
      refs AS (SELECT PartnerId, MpnId, CreatedDateTime::DATE AS Date, count(*) AS n FROM ${csv(files('referrals'))}
               WHERE Direction = 'Incoming' AND Source = 'Direct' GROUP BY ALL)
      SELECT
        (SELECT count(*) FROM b WHERE ContactClicks > PageViews OR SearchResults < 0) AS bad_rows,
        (SELECT sum(PageViews) > sum(SearchResults) FROM b)::VARCHAR AS views_over_results,
        (SELECT count(*) FROM refs JOIN days USING (PartnerId, MpnId, Date) WHERE days.clicks < refs.n) AS clicks_short,
        (SELECT count(*) FROM refs JOIN days USING (PartnerId, MpnId, Date)) AS days_with_referrals,
        (SELECT count(DISTINCT (PartnerId, MpnId)) FROM b) AS locations,
        (SELECT count(*) FROM ${csv(files('locations'))}) AS all_locations,
        (SELECT max(Date)::VARCHAR FROM b) AS last_day`);
    expect(r).toMatchObject({ bad_rows: '0', views_over_results: 'false', clicks_short: '0', last_day: summary.asOf });
    expect(r.locations).toBe(r.all_locations);
    expect(Number(r.days_with_referrals)).toBeGreaterThan(0);
  });

  it('keeps subscriptions and their events consistent', async () => {
    const r = await duck.one<Record<string, string>>(`
      WITH e AS (SELECT * FROM ${csv(files('subscription-events'))}), s AS (SELECT * FROM ${csv(files('subscriptions'))})
      SELECT
        (SELECT count(*) FROM e WHERE SubscriptionId NOT IN (SELECT "Subscription ID" FROM s)) AS orphan_events,
        (SELECT count(*) FROM s WHERE "Subscription ID" NOT IN (SELECT SubscriptionId FROM e WHERE EventType = 'Purchase')) AS no_purchase,
        (SELECT count(*) FROM s WHERE CustomerId NOT IN (SELECT "Microsoft ID" FROM ${csv(files('customers'))})) AS orphan_subs,
        (SELECT count(*) FROM e WHERE EventDate::DATE > '${summary.asOf}') AS future_events,
        (SELECT count(*) FROM s JOIN ${csv(files('customers'))} c ON c."Microsoft ID" = s.CustomerId WHERE s.CreatedDate < c.CreatedDate) AS before_customer,
        (SELECT count(DISTINCT Status) FROM s) AS statuses,
        (SELECT count(DISTINCT EventType) FROM e) AS event_types,
        (SELECT count(*) FROM s WHERE BudgetAmount IS NOT NULL AND BillingType <> 'Usage') AS budget_not_azure,
        (SELECT count(DISTINCT Currency) FROM s) AS currencies`);
    expect(r).toMatchObject({ orphan_events: '0', no_purchase: '0', orphan_subs: '0', future_events: '0', before_customer: '0', budget_not_azure: '0' });
    expect(Number(r.statuses)).toBeGreaterThanOrEqual(5);
    expect(Number(r.event_types)).toBeGreaterThanOrEqual(7);
    expect(Number(r.currencies)).toBeGreaterThanOrEqual(2);
  });
});
