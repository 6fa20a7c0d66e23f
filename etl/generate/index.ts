import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { attributionFormat, customerActivityFormat, customerFormat, locationFormat, partnerProfileFormat, resellerFormat, userFormat } from '../formats/accounts';
import { dailyUsageReconFormat, fxRateFormat, invoiceFormat } from '../formats/billing';
import { dealRegistrationFormat, referralContactFormat, referralFormat } from '../formats/referrals';
import { certificationFormat } from '../formats/skills';
import { benefitFormat, competencyFormat, competencyHistoryFormat } from '../formats/programs';
import { licenseUsageFormat, monthlyActiveUsersFormat, productFormat, subscriptionEventFormat, subscriptionFormat } from '../formats/subscriptions';
import { licenseLines, oneTimeLines } from './billing';
import { productRows } from './catalog';
import { activityRows, attributionRows, buildCustomers, customerRows } from './customers';
import { addDays, addMonths } from '../../core/dates';
import { FxTable } from './fx';
import { buildPartners, locationRows, partnerProfileRows, resellerRows, userRows } from './partners';
import { buildReferrals } from './referrals';
import { Rng } from './random';
import { PRODUCT_BILLING_RULES, type BillingRules } from './rules';
import { certificationRows } from './skills';
import { programFiles } from './programs';
import { assessmentAndLearnRows } from './learning';
import { businessProfileRows } from './business-profile';
import { businessProfileMetricsFormat } from '../formats/business-profile';
import { customerPartnerRelationshipFormat } from '../formats/partner-relationships';
import { partnerRelationshipRows } from './partner-relationships';
import { buildSubscriptions, eventRows, subscriptionRows } from './subscriptions';
import { buildTelemetry } from './telemetry';
import { allocateUsage, usagePlan, writeInvoices, type GeneratedInvoice } from './invoices';
import { Output, type GeneratedFile } from './output';
import { DEFAULT_AS_OF, DEFAULT_MONTHS, buildTimeline, invoiceDates } from './timeline';
import { DailyUsageWriter } from './usage';

export { DailyUsageWriter, writeDailyUsageCsv, syntheticUsageSubscriptions, type DailyUsageOptions, type DailyUsageResult, type UsageSubscription } from './usage';
export { DEFAULT_AS_OF, DEFAULT_MONTHS } from './timeline';
export type { BillingRules } from './rules';

export const DEFAULT_SEED = 7;
export const DEFAULT_CUSTOMERS = 300;

export interface GenerateOptions {
  /** Directory the files are written to (created when missing). */
  out: string;
  seed?: number;
  /** Customers per partner (default 300); subscriptions, referrals, telemetry and usage scale with it. */
  customers?: number;
  /** Months of history up to the as-of month (default 15). */
  months?: number;
  /** Total daily-rated usage rows over all files; default: what the Azure estates produce (~0.5M at defaults). */
  usageRows?: number;
  /** Last day of the data (default 2026-10-31). */
  asOf?: string;
  /** Billing rules the reconciliation lines come from (default: warehouse/billing). */
  rules?: BillingRules;
  /** Progress messages. */
  log?: (message: string) => void;
}

export type { GeneratedFile, GeneratedInvoice };

export interface GeneratedPartner {
  id: string;
  name: string;
  slug: string;
  type: string;
  globalMpnId: string;
  billingDay: number;
  /** Invoice dates written; the last one is the `through` date given to the billing rules. */
  invoiceDates: string[];
  locations: { mpnId: string; name: string; country: string; market: string }[];
  resellerMpnIds: string[];
  customers: number;
  subscriptions: number;
  invoices: GeneratedInvoice[];
}

export interface GeneratedSummary {
  seed: number;
  asOf: string;
  start: string;
  months: number;
  pciBaseline: string;
  customersPerPartner: number;
  usageRows: number;
  partners: GeneratedPartner[];
  files: GeneratedFile[];
  /** Rows per format over all files. */
  rowsByFormat: Record<string, number>;
}

const FILE_NAMES: Record<string, string> = {
  [partnerProfileFormat.name]: 'partner-profile.csv',
  [locationFormat.name]: 'locations.csv',
  [userFormat.name]: 'users.csv',
  [resellerFormat.name]: 'resellers.csv',
  [customerFormat.name]: 'customers.csv',
  [attributionFormat.name]: 'attributions.csv',
  [customerPartnerRelationshipFormat.name]: 'customer-partner-relationships.csv',
  [customerActivityFormat.name]: 'customer-activity.csv',
  [productFormat.name]: 'products.csv',
  [subscriptionFormat.name]: 'subscriptions.csv',
  [subscriptionEventFormat.name]: 'subscription-events.csv',
  [licenseUsageFormat.name]: 'license-usage.csv',
  [monthlyActiveUsersFormat.name]: 'monthly-active-users.csv',
  [referralFormat.name]: 'referrals.csv',
  [referralContactFormat.name]: 'referral-contacts.csv',
  [dealRegistrationFormat.name]: 'deal-registrations.csv',
  [certificationFormat.name]: 'certifications.csv',
  [competencyFormat.name]: 'competencies.csv',
  [competencyHistoryFormat.name]: 'competency-history.csv',
  [benefitFormat.name]: 'benefits.csv',
  [businessProfileMetricsFormat.name]: 'business-profile-metrics.csv',
  [invoiceFormat.name]: 'invoices.csv',
  [fxRateFormat.name]: 'fx-rates.csv',
};


/**
 * A earlier run's files (those its manifest lists) are removed first, so that a run with another seed
 * leaves no stale reconciliation files behind for the loader. Nothing else in the directory is touched.
 */
function removePreviousRun(out: string): void {
  const manifest = join(out, 'manifest.json');
  if (!existsSync(manifest)) return;
  let previous: { files?: { path?: unknown }[] };
  try {
    previous = JSON.parse(readFileSync(manifest, 'utf8'));
  } catch {
    return;
  }
  for (const f of previous.files ?? []) {
    if (typeof f.path !== 'string' || f.path.includes('..') || isAbsolute(f.path)) continue;
    rmSync(join(out, f.path), { force: true });
  }
  rmSync(manifest, { force: true });
}

function checkCount(name: string, value: number | undefined, fallback: number, min: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be a whole number >= ${min}, not ${value}`);
  return v;
}

/**
 * Writes the demo data set: for each partner, every Partner Center file the ETL reads, in those
 * formats; reconciliation files per invoice under recon/; and manifest.json listing every file with
 * its format and row count. Deterministic: the same options give byte-identical files.
 */
export async function generateDemoData(options: GenerateOptions): Promise<GeneratedSummary> {
  const seed = checkCount('seed', options.seed, DEFAULT_SEED, 0);
  const customersPerPartner = checkCount('customers', options.customers, DEFAULT_CUSTOMERS, 1);
  const months = checkCount('months', options.months, DEFAULT_MONTHS, 1);
  if (options.usageRows !== undefined) checkCount('usage rows', options.usageRows, 0, 0);
  const timeline = buildTimeline(options.asOf ?? DEFAULT_AS_OF, months);
  const rules = options.rules ?? PRODUCT_BILLING_RULES;
  const log = options.log ?? (() => undefined);
  const root = Rng.fromSeed(seed);
  mkdirSync(options.out, { recursive: true });
  removePreviousRun(options.out);

  const partners = buildPartners(root.fork('partners'), timeline);
  const fx = new FxTable(root.fork('fx'), addDays(timeline.start, -31), addMonths(timeline.asOf, 1));
  const output = new Output(options.out);
  const writeFile = output.write.bind(output);

  // Everything but usage first, so that usage rows can be shared out over all partners' invoices.
  const built = partners.map((partner, index) => {
    const rng = root.fork(`partner:${partner.slug}`);
    log(`${partner.name}: customers and subscriptions`);
    const customers = buildCustomers(rng.fork('customers'), partner, timeline, customersPerPartner);
    const subs = buildSubscriptions(rng.fork('subscriptions'), partner, customers, timeline);
    const dates = invoiceDates(partner, timeline);
    const license = licenseLines(rules, partner, subs, dates);
    const oneTime = oneTimeLines(rules, rng.fork('onetime'), partner, subs, dates, timeline.asOf);
    return { partner, index, rng, customers, subs, dates, license, oneTime, usage: usagePlan(partner, subs, dates, timeline.asOf) };
  });
  const allocation = allocateUsage(built.flatMap((b) => b.usage), options.usageRows);

  const usageWriter = await DailyUsageWriter.create(2);
  const summaries: GeneratedPartner[] = [];
  let usageRows = 0;
  try {
    for (const b of built) {
      const { partner, rng, customers, subs } = b;
      const dir = partner.slug;
      const at = (name: string) => `${dir}/${FILE_NAMES[name]}`;
      log(`${partner.name}: accounts, catalog, subscriptions`);
      await writeFile(partner, at(partnerProfileFormat.name), partnerProfileFormat, partnerProfileRows(partner));
      await writeFile(partner, at(locationFormat.name), locationFormat, locationRows(partner));
      await writeFile(partner, at(userFormat.name), userFormat, userRows(partner));
      if (partner.resellers.length) await writeFile(partner, at(resellerFormat.name), resellerFormat, resellerRows(partner));
      await writeFile(partner, at(customerFormat.name), customerFormat, customerRows(partner, customers));
      await writeFile(partner, at(attributionFormat.name), attributionFormat, attributionRows(rng.fork('attributions'), partner, subs));
      await writeFile(partner, at(customerActivityFormat.name), customerActivityFormat, activityRows(rng.fork('activity'), partner, customers, subs, timeline));
      // Multi-partner customers from a fork of their own: the other files are the same with or without it.
      await writeFile(partner, at(customerPartnerRelationshipFormat.name), customerPartnerRelationshipFormat, partnerRelationshipRows(rng.fork('multi-partner'), partner, customers, subs, timeline));
      await writeFile(partner, at(productFormat.name), productFormat, productRows(partner));
      await writeFile(partner, at(subscriptionFormat.name), subscriptionFormat, subscriptionRows(partner, subs));
      await writeFile(partner, at(subscriptionEventFormat.name), subscriptionEventFormat, eventRows(partner, subs));
      const telemetry = buildTelemetry(rng.fork('telemetry'), partner, subs, timeline);
      await writeFile(partner, at(licenseUsageFormat.name), licenseUsageFormat, telemetry.licenseUsage);
      await writeFile(partner, at(monthlyActiveUsersFormat.name), monthlyActiveUsersFormat, telemetry.monthlyActiveUsers);
      log(`${partner.name}: referrals and certifications`);
      const referrals = buildReferrals(rng.fork('referrals'), partner, customers, timeline, fx, Math.max(10, Math.round(customersPerPartner * 0.6 * (months / 15))));
      await writeFile(partner, at(referralFormat.name), referralFormat, referrals.referrals);
      await writeFile(partner, at(referralContactFormat.name), referralContactFormat, referrals.contacts);
      await writeFile(partner, at(dealRegistrationFormat.name), dealRegistrationFormat, referrals.registrations);
      await writeFile(partner, at(businessProfileMetricsFormat.name), businessProfileMetricsFormat, businessProfileRows(rng.fork('business-profile'), partner, timeline, referrals.referrals));
      const certifications = certificationRows(rng.fork('skills'), partner, timeline, Math.sqrt(customersPerPartner / DEFAULT_CUSTOMERS));
      // Assessments and Microsoft Learn completions from their own fork, after the certifications' rows.
      certifications.push(...assessmentAndLearnRows(rng.fork('learning'), partner, timeline, certifications));
      await writeFile(partner, at(certificationFormat.name), certificationFormat, certifications);
      await writeFile(partner, at(fxRateFormat.name), fxRateFormat, fx.rows(partner.id));
      // A fork of its own: the other files are the same with or without the program files.
      const programs = programFiles(rng.fork('programs'), partner, timeline);
      await writeFile(partner, at(competencyFormat.name), competencyFormat, programs.competencies);
      await writeFile(partner, at(competencyHistoryFormat.name), competencyHistoryFormat, programs.history);
      await writeFile(partner, at(benefitFormat.name), benefitFormat, programs.benefits);

      log(`${partner.name}: invoices and reconciliation files`);
      const invoices = await writeInvoices(b, allocation, seed, fx, output, usageWriter);
      usageRows += output.files.filter((f) => f.partnerId === partner.id && f.format === dailyUsageReconFormat.name).reduce((s, f) => s + f.rows, 0);
      summaries.push({
        id: partner.id,
        name: partner.name,
        slug: partner.slug,
        type: partner.type,
        globalMpnId: partner.globalMpnId,
        billingDay: partner.billingDay,
        invoiceDates: b.dates,
        locations: partner.locations.map((l) => ({ mpnId: l.mpnId, name: l.name, country: l.country, market: l.market })),
        resellerMpnIds: partner.resellers.map((r) => r.mpnId),
        customers: customers.length,
        subscriptions: subs.length,
        invoices,
      });
    }
  } finally {
    usageWriter.close();
  }

  const files = output.files;
  const rowsByFormat: Record<string, number> = {};
  for (const f of files) rowsByFormat[f.format] = (rowsByFormat[f.format] ?? 0) + f.rows;
  const summary: GeneratedSummary = {
    seed,
    asOf: timeline.asOf,
    start: timeline.start,
    months,
    pciBaseline: timeline.pciBaseline,
    customersPerPartner,
    usageRows,
    partners: summaries,
    files,
    rowsByFormat,
  };
  writeFileSync(join(options.out, 'manifest.json'), JSON.stringify(summary, null, 2) + '\n');
  return summary;
}
