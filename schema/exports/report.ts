import { ArgsType, Directive, Field, Float, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, ConnectionArgs } from '../common/connection';
import { DateTimeScalar, NonNegativeIntScalar } from '../common/scalars';
import { BOUNDS } from '../../core/bounds';

/**
 * Report downloads ("Download reports", reference line 16858): request a report, it is generated
 * in the background, then listed with its status and downloadable for 14 days.
 */
export enum ReportTimeframe {
  LAST_3_MONTHS = 'LAST_3_MONTHS',
  LAST_6_MONTHS = 'LAST_6_MONTHS',
  LAST_12_MONTHS = 'LAST_12_MONTHS',
  LIFETIME = 'LIFETIME',
}
registerEnumType(ReportTimeframe, {
  name: 'ReportTimeframe',
  description: 'The documented timeframes (3 months, 6 months, 12 months, lifetime), counted back from the latest month with data (or PI_TODAY)',
});

export enum ReportFormat {
  TSV = 'TSV',
  CSV = 'CSV',
  PARQUET = 'PARQUET',
  XLSX = 'XLSX',
}
registerEnumType(ReportFormat, { name: 'ReportFormat', description: 'File format: TSV (as Partner Center generates them), CSV, Parquet or Excel' });

export enum GeneratedReportStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  READY = 'READY',
  FAILED = 'FAILED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(GeneratedReportStatus, {
  name: 'GeneratedReportStatus',
  description: 'QUEUED -> RUNNING -> READY (downloadable for 14 days, then EXPIRED and removed) or FAILED (see error)',
});

@InputType('ReportFilters', {
  description: `Filters; each list is "all" when absent or empty, and has at most ${BOUNDS.filterValues.max} values. reportTypes lists the filters each report takes`,
})
export class ReportFiltersInput {
  @Field(() => [String], { nullable: true, description: 'Product families (Office 365, Azure, ...)' })
  productFamilies?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Customer markets (ISO 3166 alpha-2 countries)' })
  customerCountries?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Partner attributions: CSP, DPOR, DAP, PAL, CPOR' })
  attributionTypes?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Partner locations (MPN IDs)' })
  locationMpnIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Sales channels: Direct, Indirect reseller' })
  salesChannels?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Customer segments: Commercial, Education, Government, Nonprofit' })
  segments?: string[] | null;
}

@InputType({ description: 'A report to generate' })
export class GenerateReportInput {
  @Field(() => String, { description: 'The report: a name from reportTypes, e.g. "customer-details"' })
  report!: string;

  @Field(() => ReportTimeframe, { nullable: true, description: 'Default LAST_12_MONTHS; ignored by snapshot reports (no timeframe)' })
  timeframe?: ReportTimeframe | null;

  @Field(() => ReportFormat, { defaultValue: ReportFormat.TSV })
  format!: ReportFormat;

  @Field(() => ReportFiltersInput, { nullable: true })
  filters?: ReportFiltersInput | null;
}

/** Entity by id (node(id:)). */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A report requested for download, and its file once generated' })
export class GeneratedReport {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The report name (reportTypes.name)' })
  report!: string;

  @Field(() => String, { description: 'The report title, as Partner Center names it' })
  title!: string;

  @Field(() => ReportTimeframe, { nullable: true, description: 'null for a snapshot report (no timeframe)' })
  timeframe!: ReportTimeframe | null;

  @Field(() => ReportFormat)
  format!: ReportFormat;

  @Field(() => GeneratedReportStatus)
  status!: GeneratedReportStatus;

  @Field(() => [String], { nullable: true, description: 'Location MPN IDs the report is limited to (the requester’s); null for the entire organization' })
  locationMpnIds!: string[] | null;

  @Field(() => String, { nullable: true, description: 'Subject (user id) of the requester' })
  requestedBy!: string | null;

  @Field(() => DateTimeScalar)
  requestedAt!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Generation timestamp (UTC)' })
  generatedAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the file is removed: 14 days after generation' })
  expiresAt!: string | null;

  @Field(() => NonNegativeIntScalar, { nullable: true })
  rows!: number | null;

  @Field(() => Float, { nullable: true, description: 'File size in bytes' })
  bytes!: number | null;

  @Field(() => String, { nullable: true, description: 'Download file name' })
  fileName!: string | null;

  @Field(() => String, { nullable: true, description: 'Path of the file on this server, GET with the same bearer token (or an API key): /downloads/<id>. Set while READY' })
  downloadUrl!: string | null;

  @Field(() => String, { nullable: true, description: 'Why generation failed (status FAILED)' })
  error!: string | null;
}

@ObjectType()
export class GeneratedReportConnection extends Connection(GeneratedReport) {}

@ArgsType()
export class GeneratedReportsArgs extends ConnectionArgs {
  @Field(() => [GeneratedReportStatus], { nullable: true, description: 'Only reports in these states' })
  status?: GeneratedReportStatus[] | null;
}

@ObjectType({ description: 'A column of a report: the contract a BI model is built on' })
export class ReportColumn {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'DuckDB type, e.g. VARCHAR, DATE, DECIMAL(18,6)' })
  type!: string;

  @Field(() => String)
  description!: string;
}

@ObjectType({ description: 'A report that can be generated' })
export class ReportType {
  @Field(() => String, { description: 'Name to pass to generateReport, e.g. "customer-details"' })
  name!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  description!: string;

  @Field(() => [ReportTimeframe], { description: 'Timeframes it takes; empty for a snapshot (no aggregation or lookback)' })
  timeframes!: ReportTimeframe[];

  @Field(() => [String], { description: 'Sensitive data it contains: revenue, personal data, billing' })
  contains!: string[];

  @Field(() => [String], { description: 'Filters it takes (ReportFilters field names)' })
  filters!: string[];

  @Field(() => [String], { description: 'Roles any one of which may generate and download it' })
  requiredRoles!: string[];

  @Field(() => Boolean, { description: 'Whether the caller may generate and download it' })
  canGenerate!: boolean;

  @Field(() => [ReportColumn])
  columns!: ReportColumn[];
}
