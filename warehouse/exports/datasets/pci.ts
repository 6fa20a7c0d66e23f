import { sql } from '../../../core/sql';
import { pciScores } from '../../insights/pci';
import { columns, type Dataset } from '../dataset';

/**
 * PCI details: the partner contribution indicators of both paths on GraphQL's default day (the
 * Insights reports' as-of month: its last day, or today within it), one row per path and
 * indicator. The scores are computed by warehouse/insights/pci (a few statements and a small
 * result); the rows are then handed back to DuckDB as a VALUES list, so that this dataset is written
 * by the same COPY as every other one.
 */
export const pciDetails: Dataset = {
  name: 'pci-details',
  title: 'Partner contribution indicators (PCI) details',
  description:
    'Each partner contribution indicator of both solution paths (Customer Engagement, Finance and Operations) on the day PCI scores by default (the last day of the latest month with data, or today within it): value, threshold, points and maximum points, and the path score. Net new revenue is money (USD).',
  timeframe: { kind: 'none' },
  permissions: ['downloadReports', 'readReports', 'seeRevenue'],
  contains: ['revenue'],
  filters: {},
  // Scored on a day that moves with today; the tables it reads are the PCI rules' (undeclared: every table written outside the loader counts).
  asOf: 'day',
  columns: columns([
    ['AsOf', 'DATE', 'Day the indicators are scored on'],
    ['Market', 'VARCHAR', 'Developed or Developing, the thresholds applied'],
    ['Path', 'VARCHAR', 'Solution path'],
    ['PathScore', 'DECIMAL(5,2)', 'Score of the path, 0-100'],
    ['IndicatorKey', 'VARCHAR', 'Indicator id'],
    ['IndicatorName', 'VARCHAR', 'Indicator name'],
    ['Value', 'DECIMAL(18,4)', 'Value of the indicator (USD for net new revenue, a count, or a ratio); empty when it cannot be computed'],
    ['Unit', 'VARCHAR', 'Unit of Value and Threshold'],
    ['Threshold', 'DECIMAL(18,4)', 'Value earning all points; empty when not eligible'],
    ['Points', 'DECIMAL(5,2)', 'Points earned'],
    ['MaxPoints', 'DECIMAL(5,2)', 'Maximum points'],
    ['Note', 'VARCHAR', 'Why the value is what it is, when not obvious'],
  ]),
  async query(ctx) {
    // No asOf: the same default day as partnerContributionIndicators (pci/index.ts defaultPciDay).
    const result = await pciScores(ctx.db, ctx.caller, {});
    const rows = result.paths.flatMap((path) =>
      path.indicators.map(
        (i) => sql`(${result.asOf}::DATE, ${result.market}, ${path.path}, ${path.score.toFixed(2)}::DECIMAL(5,2), ${i.key}, ${i.name},
                   ${i.valueText ?? (i.value === null ? null : i.value.toFixed(4))}::DECIMAL(18,4), ${i.unit},
                   ${i.threshold === null ? null : i.threshold.toFixed(4)}::DECIMAL(18,4), ${i.points.toFixed(2)}::DECIMAL(5,2),
                   ${i.maxPoints.toFixed(2)}::DECIMAL(5,2), ${i.note}::VARCHAR)`,
      ),
    );
    const names = pciDetails.columns.map((c) => `"${c.name}"`).join(', ');
    if (rows.length === 0) {
      return sql.raw(`SELECT ${pciDetails.columns.map((c) => `NULL::${c.type} AS ${c.name}`).join(', ')} WHERE FALSE`);
    }
    return sql`SELECT * FROM (VALUES ${sql.join(rows, ', ')}) AS t(${sql.raw(names)})`;
  },
};
