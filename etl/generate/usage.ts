import { createReadStream, createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { dailyUsageReconFormat } from '../formats/billing';
import { addDays, daysBetween, monthEnd } from '../../core/dates';
import { usDate } from './dates';
import { METERS, REGIONS, regionsOfCountry } from './meters';
import { formatMoney, parseMoney, priceFromNumber, roundMoney } from './money';
import { Rng, stableGuid } from './random';

/**
 * Daily-rated usage files, written by DuckDB itself: `COPY (SELECT … FROM range(N)) TO file.csv`,
 * every value a deterministic hash of (seed, row), so 10 million rows stream to disk without
 * passing through JavaScript. For speed each line is assembled as one string from pieces prepared
 * per subscription and per meter (already CSV-escaped), and money is computed in integer
 * micro-units. Rows follow "one row per resource per meter per day": row i is day
 * i mod (days in the period) of resource i div (days in the period); each resource belongs to a
 * subscription drawn by weight and has one meter.
 *
 * Amount rule (billing-facts.md): EffectiveUnitPrice = UnitPrice × (1 - PartnerEarnedCreditPercentage/100),
 * rounded half up to 6 decimals; BillingPreTaxTotal = floor(EffectiveUnitPrice × Quantity ×
 * PCToBCExchangeRate, 2 decimals); PricingPreTaxTotal = floor(EffectiveUnitPrice × Quantity, 2 decimals).
 */

/** An Azure plan subscription whose usage goes into the file. */
export interface UsageSubscription {
  subscriptionId: string;
  customerId: string;
  customerName: string;
  customerDomain: string;
  customerCountry: string;
  mpnId: string;
  /** Reseller (tier 2) MPN ID, empty for direct customers. */
  tier2MpnId: string;
  /** The Azure subscription the resources live in. */
  entitlementId: string;
  entitlementDescription: string;
  /** Partner earned credit: 0 or 15 (%). */
  pec: 0 | 15;
  /** Relative size: how many resources a day. */
  weight: number;
  /** First and last usage day in the period (defaults: the whole period). */
  from?: string;
  to?: string;
}

export interface DailyUsageOptions {
  path: string;
  /** Exactly this many data rows are written. */
  rows: number;
  seed: number;
  invoiceNumber: string;
  partnerId: string;
  partnerName?: string;
  /** Billing period (ISO dates); default the month of 2026-10. */
  periodStart?: string;
  periodEnd?: string;
  billingCurrency?: string;
  pricingCurrency?: string;
  /** Pricing to billing currency rate, a decimal string (6 decimals at most); default "1". */
  exchangeRate?: string;
  exchangeRateDate?: string;
  /** Default: 200 synthetic subscriptions drawn from the seed. */
  subscriptions?: readonly UsageSubscription[];
  /** DuckDB threads for a standalone call (default 2). */
  threads?: number;
  /** Also sum the file (count, BillingPreTaxTotal, PricingPreTaxTotal): one more pass without writing; default true. */
  totals?: boolean;
}

export interface DailyUsageResult {
  path: string;
  rows: number;
  /** Sums of the file, decimal strings with 2 places (unless totals: false). */
  billingPreTaxTotal?: string;
  pricingPreTaxTotal?: string;
}

const sql = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Writes one daily-rated usage file with its own in-memory DuckDB (standalone: benchmarks, tests). */
export async function writeDailyUsageCsv(options: DailyUsageOptions): Promise<DailyUsageResult> {
  const writer = await DailyUsageWriter.create(options.threads ?? 2);
  try {
    return await writer.write(options);
  } finally {
    writer.close();
  }
}

/** Synthetic Azure plan subscriptions for a standalone file (benchmarks). */
export function syntheticUsageSubscriptions(seed: number, count = 200): UsageSubscription[] {
  const rng = new Rng(`usage-subscriptions:${seed}`);
  const countries = ['US', 'GB', 'DE', 'NL', 'FR', 'AU', 'IN', 'BR', 'MX', 'ZA', 'ID'];
  return Array.from({ length: count }, (_, i) => {
    const country = countries[i % countries.length];
    const name = `Customer ${String(i + 1).padStart(4, '0')}`;
    return {
      subscriptionId: rng.guid(),
      customerId: rng.guid(),
      customerName: name,
      customerDomain: `customer${i + 1}.onmicrosoft.com`,
      customerCountry: country,
      mpnId: '4390934',
      tier2MpnId: '',
      entitlementId: rng.guid(),
      entitlementDescription: 'Azure subscription 1',
      pec: rng.chance(0.75) ? 15 : 0,
      weight: rng.logInt(5, 0.9, 1, 60),
    };
  });
}

/** Effective price after partner earned credit, half up to 6 decimals. */
export function effectiveUnitPrice(unitPrice: string, pec: number): string {
  return formatMoney(roundMoney((parseMoney(unitPrice) * BigInt(100 - pec)) / 100n, 6), 6);
}

const SUB_SLOTS = 8192;
const METER_SLOTS = 1024;
const MICRO = 1_000_000n;

/** Micro-units (BigInt) of a decimal string. */
const micro = (text: string): bigint => parseMoney(text);
const sixDecimals = (value: bigint): string => formatMoney(value, 6);

/** A CSV field: quoted when it holds a comma, quote or line break. */
function field(value: string | undefined | null): string {
  if (value === undefined || value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Files of at least this many rows are written in one part per thread. */
const PARALLEL_ROWS = 100_000;
/** Memory cap of the instances the writer creates (each part streams; this is a safety net). */
export const USAGE_MEMORY_LIMIT = '512MB';

/**
 * Writes daily-rated usage files with its own in-memory DuckDB; the generator keeps one for all its
 * files (the connections and the meter catalogue are set up once).
 *
 * How it stays fast, ordered and small in memory: a COPY from range() streams on one core with
 * a few MB of memory, so a large file is cut into one row range per thread, each written by its
 * own connection at the same time, and the parts are then appended to the first in order (DuckDB's
 * own order-preserving parallel writer would buffer hundreds of MB). Subscriptions and meters are
 * looked up in list variables. Each line is built as one string from pieces prepared (and
 * CSV-escaped) per subscription and per meter, and written with a delimiter and a quote the text
 * never contains, so the writer does not look inside it.
 */
export class DailyUsageWriter {
  private readonly ready = new Set<DuckDBConnection>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connections: DuckDBConnection[],
    readonly threads: number,
  ) {}

  static async create(threads = 2): Promise<DailyUsageWriter> {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(threads), memory_limit: USAGE_MEMORY_LIMIT });
    return new DailyUsageWriter(instance, [], threads);
  }

  /** Writes one file; rows are split over `options.threads` (default: the writer's) connections. */
  write(options: DailyUsageOptions): Promise<DailyUsageResult> {
    return writeUsage({ threads: this.threads, ...options }, (count) => this.connect(count));
  }

  private async connect(count: number): Promise<DuckDBConnection[]> {
    while (this.connections.length < count) this.connections.push(await this.instance.connect());
    const out = this.connections.slice(0, count);
    for (const c of out) {
      if (this.ready.has(c)) continue;
      for (const statement of CONSTANT_VARIABLES()) await c.run(statement);
      this.ready.add(c);
    }
    return out;
  }

  close(): void {
    for (const c of this.connections) c.closeSync();
    this.connections.length = 0;
    this.instance.closeSync();
  }
}

/** Appends a part file to the file and removes the part. */
async function appendPart(part: string, path: string): Promise<void> {
  await pipeline(createReadStream(part, { highWaterMark: 1 << 20 }), createWriteStream(path, { flags: 'a', highWaterMark: 1 << 20 }));
  rmSync(part);
}

/** SET VARIABLE name = [values] (a list literal). */
function setList(name: string, values: readonly (string | number | bigint | boolean)[]): string {
  const literal = values.map((v) => (typeof v === 'string' ? sql(v) : String(v))).join(',');
  return `SET VARIABLE ${name} = [${literal}]`;
}

/** SET VARIABLE name = the 0-based item numbers, item i repeated counts[i] times (weighted slots, without a long literal). */
function setSlots(name: string, counts: readonly number[]): string {
  return `SET VARIABLE ${name} = flatten(list_transform([${counts.join(',')}], lambda n, i: list_resize([]::INTEGER[], n, (i - 1)::INTEGER)))`;
}

const ENVIRONMENTS = ['prod', 'prod', 'prod', 'dev', 'test', 'shared'];
const APPLICATIONS = ['web', 'erp', 'data', 'crm', 'ai', 'infra', 'hr', 'bi'];
const GROUPS = ENVIRONMENTS.flatMap((e) => APPLICATIONS.map((a) => [e, a] as const));

/** Variables every file uses: the meters in every region, their weighted slots, resource groups. Set once per connection. */
let constantVariables: string[] | undefined;
function CONSTANT_VARIABLES(): string[] {
  constantVariables ??= [
    ...meterVariables(),
    setList('usage_rg', GROUPS.map(([e, a]) => `rg-${e}-${a}`)),
    setList('usage_env', GROUPS.map(([e]) => e)),
  ];
  return constantVariables;
}

/** Number of weighted meter slots (see meterVariables). */
const meterSlotCount = (() => {
  const total = METERS.reduce((a, m) => a + m.weight, 0);
  return METERS.reduce((a, m) => a + Math.max(1, Math.round((m.weight / total) * METER_SLOTS)), 0);
})();

/** The meters in every region as list variables: CSV pieces of their columns, prices in micro-units; and the weighted meter slots. */
function meterVariables(): string[] {
  const total = METERS.reduce((a, m) => a + m.weight, 0);
  const fields: Record<string, (string | bigint | boolean)[]> = { m_a: [], m_b: [], m_c: [], m_d: [], m_e: [], eup0: [], eup15: [], eup0_s: [], eup15_s: [], qty: [], hours: [], vm: [], res: [] };
  METERS.forEach((m, mi) => {
    REGIONS.forEach((r) => {
      const price = priceFromNumber(m.price * r.uplift, 6);
      const availability = stableGuid(`availability:${m.productId}:${m.skuName}`).replace(/-/g, '').slice(0, 12).toUpperCase();
      // ProductId … PublisherId (columns 10-16), MeterType … ConsumedService (22-30), ChargeType and UnitPrice (33-34), UnitType (36), AdditionalInfo (44).
      fields.m_a.push([m.productId, '0001', availability, m.skuName, m.productName, 'Microsoft', ''].map(field).join(',') + ',');
      fields.m_b.push([m.meterType, m.category, stableGuid(`meter:${mi}:${r.location}`), m.subCategory, m.name, r.meterRegion, m.unit, r.location, m.consumedService].map(field).join(',') + ',');
      fields.m_c.push(`New,${price},`);
      fields.m_d.push(`${field(m.unitType)},`);
      fields.m_e.push(`${field(m.additionalInfo)},`);
      fields.eup0.push(micro(effectiveUnitPrice(price, 0)));
      fields.eup15.push(micro(effectiveUnitPrice(price, 15)));
      fields.eup0_s.push(`${effectiveUnitPrice(price, 0)},`);
      fields.eup15_s.push(`${effectiveUnitPrice(price, 15)},`);
      fields.qty.push(BigInt(Math.round(m.dailyQuantity * 1e6)));
      fields.hours.push(m.hours === true);
      fields.vm.push(m.category === 'Virtual Machines');
      fields.res.push(`/providers/${m.resourceType}/${m.prefix}-`);
    });
  });
  const slots = METERS.map((m) => Math.max(1, Math.round((m.weight / total) * METER_SLOTS)));
  return [setSlots('usage_meter_slot', slots), ...Object.entries(fields).map(([name, values]) => setList(`usage_${name}`, values))];
}

/** A usage file's options checked and completed with their defaults. */
interface UsagePlan {
  options: DailyUsageOptions;
  rows: number;
  periodStart: string;
  periodEnd: string;
  days: number;
  subs: readonly UsageSubscription[];
  /** PCToBCExchangeRate in micro-units. */
  rate: bigint;
  seed: number;
  billingCurrency: string;
  pricingCurrency: string;
  headerLine: string;
}

async function writeUsage(options: DailyUsageOptions, connect: (count: number) => Promise<DuckDBConnection[]>): Promise<DailyUsageResult> {
  const plan = usagePlan(options);
  mkdirSync(dirname(options.path), { recursive: true });
  if (plan.rows === 0) {
    writeFileSync(options.path, `${plan.headerLine}\n`);
    return { path: options.path, rows: 0, billingPreTaxTotal: '0.00', pricingPreTaxTotal: '0.00' };
  }
  const { setup, subSlots } = subscriptionVariables(plan);
  const rowsOf = (lo: number, hi: number) => pricedRows(plan, subSlots, lo, hi);
  const parts = plan.rows >= PARALLEL_ROWS ? Math.max(1, options.threads ?? 2) : 1;
  const connections = await connect(parts);
  try {
    const totals = await Promise.all(connections.map((connection, p) => writePart(connection, plan, setup, rowsOf, p, parts)));
    for (let p = 1; p < parts; p++) await appendPart(partPath(options.path, p), options.path);
    if (options.totals === false) return { path: options.path, rows: plan.rows };
    return usageTotals(options.path, totals);
  } finally {
    for (let p = 1; p < parts; p++) rmSync(partPath(options.path, p), { force: true });
  }
}

/** Checks the options and fills in the defaults; throws on a negative row count, an empty period, no subscriptions or an odd rate. */
function usagePlan(options: DailyUsageOptions): UsagePlan {
  const rows = Math.floor(options.rows);
  if (!(rows >= 0)) throw new Error(`rows must be a non-negative number, not ${options.rows}`);
  const periodStart = options.periodStart ?? '2026-10-01';
  const periodEnd = options.periodEnd ?? monthEnd(periodStart);
  const days = daysBetween(periodStart, periodEnd) + 1;
  if (days < 1) throw new Error(`billing period ${periodStart}..${periodEnd} is empty`);
  const subs = options.subscriptions ?? syntheticUsageSubscriptions(options.seed);
  if (subs.length === 0 && rows > 0) throw new Error('no subscriptions to write usage for');
  const rate = micro(options.exchangeRate ?? '1');
  if (rate <= 0n || rate > 500n * MICRO) throw new Error(`exchange rate must be in (0, 500], not ${options.exchangeRate}`);
  return {
    options,
    rows,
    periodStart,
    periodEnd,
    days,
    subs,
    rate,
    seed: Math.abs(Math.floor(options.seed)) % 2147483647,
    billingCurrency: options.billingCurrency ?? 'USD',
    pricingCurrency: options.pricingCurrency ?? 'USD',
    headerLine: dailyUsageReconFormat.columns.map((c) => c.header).join(','),
  };
}

/**
 * The file's list variables: its subscriptions over weighted slots (resource k belongs to the
 * subscription of slot hash(k) mod slots), their CSV pieces, usage windows and regions, and the days.
 */
function subscriptionVariables(plan: UsagePlan): { setup: string[]; subSlots: number } {
  const { subs, periodStart, periodEnd, days } = plan;
  const windows = subs.map((s) => {
    const from = s.from && s.from > periodStart ? s.from : periodStart;
    const to = s.to && s.to < periodEnd ? s.to : periodEnd;
    return { offset: daysBetween(periodStart, from), len: Math.max(1, daysBetween(from, to) + 1) };
  });
  const weights = subs.map((s, i) => Math.max(0.0001, s.weight * windows[i].len));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const subSlotCounts = weights.map((w) => Math.max(1, Math.round((w / totalWeight) * SUB_SLOTS)));
  const subSlots = subSlotCounts.reduce((a, b) => a + b, 0);
  const subFields = subscriptionFields(plan, windows);
  const setup = [setSlots('usage_sub_slot', subSlotCounts), ...Object.entries(subFields).map(([name, values]) => setList(`usage_${name}`, values))];
  setup.push(setList('usage_day', Array.from({ length: days }, (_, d) => `${usDate(addDays(periodStart, d))},`)));
  return { setup, subSlots };
}

/** Per subscription: the CSV pieces of its columns and what the rows need of it (PEC, window, regions). */
function subscriptionFields(plan: UsagePlan, windows: readonly { offset: number; len: number }[]): Record<string, (string | number)[]> {
  const { options, periodStart, periodEnd } = plan;
  const regionIndex = new Map(REGIONS.map((r, i) => [r.location, i]));
  const rateText = sixDecimals(plan.rate);
  const subFields: Record<string, (string | number)[]> = { s_a: [], s_b: [], s_c: [], ben: [], ent: [], cc: [], pec: [], off: [], len: [], r1: [], r2: [] };
  plan.subs.forEach((s, i) => {
    const regions = regionsOfCountry(s.customerCountry).map((r) => regionIndex.get(r)!);
    // PartnerId … InvoiceNumber (columns 1-9); SubscriptionDescription … ChargeEndDate (17-20);
    // PCToBCExchangeRate … CreditType (46-52); the Benefit columns (53-55) of rows under a savings plan.
    subFields.s_a.push([options.partnerId, options.partnerName ?? '', s.customerId, s.customerName, s.customerDomain, s.customerCountry, s.mpnId, s.tier2MpnId, options.invoiceNumber].map(field).join(',') + ',');
    subFields.s_b.push(['Azure plan', s.subscriptionId, usDate(periodStart), usDate(periodEnd)].map(field).join(',') + ',');
    subFields.s_c.push([rateText, usDate(options.exchangeRateDate ?? periodStart), s.entitlementId, s.entitlementDescription, String(s.pec), '', ''].map(field).join(',') + ',');
    subFields.ben.push([stableGuid(`benefit-order:${s.entitlementId}`), stableGuid(`benefit:${s.entitlementId}`), 'SavingsPlan'].join(','));
    subFields.ent.push(s.entitlementId);
    subFields.cc.push(1000 + (parseInt(s.customerId.replace(/-/g, '').slice(0, 6), 16) % 90));
    subFields.pec.push(s.pec);
    subFields.off.push(windows[i].offset);
    subFields.len.push(windows[i].len);
    subFields.r1.push(regions[0]);
    subFields.r2.push(regions[1] ?? regions[0]);
  });
  return subFields;
}

/** An item of a list variable. */
const v = (name: string, index: string) => `getvariable('usage_${name}')[${index}]`;

/**
 * The CTEs of rows lo..hi ending in `priced`. One hash per resource (k) and one per row (i), sliced
 * into independent fields. Money in integer micro-units: x = EffectiveUnitPrice × Quantity
 * (10^-12), BillingPreTaxTotal in cents = floor(x × rate / 10^16), split so that no product leaves BIGINT.
 */
function pricedRows(plan: UsagePlan, subSlots: number, lo: number, hi: number): string {
  const { days, seed, rate } = plan;
  return `
    WITH r AS (
      SELECT i % ${days} AS d, k, hash(k, ${seed}) AS hk, hash(i, ${seed}, 1) AS hi
      FROM (SELECT i, i // ${days} AS k FROM range(${lo}, ${hi}) t(i))
    ), s AS (
      SELECT d, k, hk, hi,
        1 + ${v('sub_slot', `1 + (hk % ${subSlots})::BIGINT`)} AS sx,
        ${v('meter_slot', `1 + ((hk >> 10) % ${meterSlotCount})::BIGINT`)} AS meter_no,
        1 + ((hk >> 24) % ${GROUPS.length})::BIGINT AS gx, (hk >> 32) % 1400 AS size_pm, (hk >> 44) % 100 AS tag_pc
      FROM r
    ), m AS (
      SELECT *, 1 + meter_no * ${REGIONS.length} + CASE WHEN (hk >> 20) % 10 < 8 THEN ${v('r1', 'sx')} ELSE ${v('r2', 'sx')} END AS mx,
        ${v('len', 'sx')} AS len, ${v('pec', 'sx')} AS pec
      FROM s
    ), q AS (
      SELECT *, d % len AS day_no, d // len AS wrap,
        CASE
          WHEN ${v('hours', 'mx')} THEN CASE WHEN hi % 100 < 85 THEN ${v('qty', 'mx')} ELSE ${v('qty', 'mx')} * ((hi >> 8) % 100)::BIGINT // 100 END
          ELSE greatest(1, ${v('qty', 'mx')} * (300 + size_pm)::BIGINT // 1000 * (750 + (hi >> 8) % 500)::BIGINT // 1000)
        END AS qty_u,
        CASE WHEN pec = 15 THEN ${v('eup15', 'mx')} ELSE ${v('eup0', 'mx')} END AS eup_u
      FROM m
    ), priced AS (
      SELECT *,
        (a // 1000000) + ((a % 1000000) * 10000000000 + b) // 10000000000000000 AS billing_cents,
        x // 10000000000 AS pricing_cents
      FROM (SELECT *, (x // 10000000000) * ${rate} AS a, (x % 10000000000) * ${rate} AS b FROM (SELECT *, eup_u * qty_u AS x FROM q))
    )`;
}

/** The SQL of one CSV line of a priced row, assembled from the prepared pieces. */
function csvLine(plan: UsagePlan): string {
  return `concat(${[
    v('s_a', 'sx'),
    v('m_a', 'mx'),
    v('s_b', 'sx'),
    v('day', `1 + ${v('off', 'sx')} + day_no`),
    v('m_b', 'mx'),
    v('rg', 'gx'),
    `',/subscriptions/'`,
    v('ent', 'sx'),
    `'/resourceGroups/'`,
    v('rg', 'gx'),
    v('res', 'mx'),
    `lpad(k::VARCHAR, 6, '0')`,
    `CASE WHEN wrap > 0 THEN '-' || wrap::VARCHAR END`,
    `','`,
    v('m_c', 'mx'),
    `(qty_u // 1000000)::VARCHAR`,
    `'.'`,
    `lpad((qty_u % 1000000)::VARCHAR, 6, '0')`,
    `','`,
    v('m_d', 'mx'),
    `(billing_cents // 100)::VARCHAR`,
    `'.'`,
    `lpad((billing_cents % 100)::VARCHAR, 2, '0')`,
    sql(`,${field(plan.billingCurrency)},`),
    `(pricing_cents // 100)::VARCHAR`,
    `'.'`,
    `lpad((pricing_cents % 100)::VARCHAR, 2, '0')`,
    sql(`,${field(plan.pricingCurrency)},,,`),
    `CASE WHEN tag_pc < 35 THEN concat('"{""env"":""', ${v('env', 'gx')}, '"",""costCenter"":""CC-', ${v('cc', 'sx')}::VARCHAR, '""}"') END`,
    `','`,
    v('m_e', 'mx'),
    `CASE WHEN pec = 15 THEN ${v('eup15_s', 'mx')} ELSE ${v('eup0_s', 'mx')} END`,
    v('s_c', 'sx'),
    `CASE WHEN ${v('vm', 'mx')} AND tag_pc >= 97 THEN ${v('ben', 'sx')} ELSE ',,' END`,
  ].join(', ')})`;
}

/** The file of part p (the file itself for part 0). */
const partPath = (path: string, p: number) => (p === 0 ? path : `${path}.part${p}`);

/**
 * Writes part p of `parts` (its share of the rows) on its own connection; returns its [count,
 * billing cents, pricing cents] (zeros with totals: false).
 */
async function writePart(
  connection: DuckDBConnection,
  plan: UsagePlan,
  setup: readonly string[],
  rowsOf: (lo: number, hi: number) => string,
  p: number,
  parts: number,
): Promise<bigint[]> {
  const lo = Math.floor((plan.rows * p) / parts);
  const hi = Math.floor((plan.rows * (p + 1)) / parts);
  for (const statement of setup) await connection.run(statement);
  const sums =
    plan.options.totals === false
      ? undefined
      : await connection.runAndReadAll(`${rowsOf(lo, hi)} SELECT count(*)::BIGINT, coalesce(sum(billing_cents), 0)::BIGINT, coalesce(sum(pricing_cents), 0)::BIGINT FROM priced`);
  await connection.run(
    `COPY (${rowsOf(lo, hi)} SELECT ${csvLine(plan)} AS "${plan.headerLine}" FROM priced) TO ${sql(partPath(plan.options.path, p))} (HEADER ${p === 0}, DELIMITER '\x01', QUOTE '\x02', ESCAPE '\x02')`,
  );
  return sums ? (sums.getRowsJson()[0] as string[]).map((x) => BigInt(x)) : [0n, 0n, 0n];
}

/** The file's row count and sums from its parts' totals. */
function usageTotals(path: string, totals: readonly bigint[][]): DailyUsageResult {
  const [n, billingCents, pricingCents] = totals.reduce((acc, t) => acc.map((x, i) => x + t[i]), [0n, 0n, 0n]);
  return {
    path,
    rows: Number(n),
    billingPreTaxTotal: formatMoney(billingCents * 10_000n),
    pricingPreTaxTotal: formatMoney(pricingCents * 10_000n),
  };
}
