import { today } from '../../clock';
import {
  COMPETENCY_METRIC_PERIODS,
  PERFORMANCE_COLUMNS,
  PERFORMANCE_TABLES,
  performanceStatement,
  planPerformance,
} from '../../insights/competency-metrics';
import { columns, type Dataset } from '../dataset';

/**
 * "Competencies – Performance details" of Download reports (reference line 16924): "detail on how
 * the partner is doing with respect to the KPIs for achieving a certain set of competencies". The
 * rows of the Competencies report's metric analysis (warehouse/insights/competency-metrics.ts), both
 * of its periods in one file: per period (TTM, Anniversary year), competency and level, each
 * performance metric's value, the Silver and Gold thresholds, the threshold at the competency's
 * level, met and the gap; a competency not analysed is one row with the reason in Note. The periods
 * are the report's own, so the hub's timeframe does not apply (a snapshot, as "Competencies –
 * Summary and history"). Company-wide data: a location-scoped caller is refused. It holds Azure
 * consumed revenue: seeRevenue besides downloadReports (the same roles today).
 */
export const competenciesPerformanceDetails: Dataset = {
  name: 'competencies-performance-details',
  title: 'Competencies – Performance details',
  description:
    'Each competency\'s performance metrics (KPIs) against the Silver and Gold thresholds over the trailing twelve months (Period TTM) and the anniversary year (Period Anniversary year): value, thresholds, met and gap; learning and certification metrics are not supported, and Cloud Business Applications is not analysed at the Active stage (Note).',
  timeframe: { kind: 'none' },
  permissions: ['downloadReports', 'seeRevenue'],
  contains: ['revenue'],
  filters: {},
  companyWide: true,
  // The anniversary year is placed against today within the as-of month.
  asOf: 'day',
  columns: columns(PERFORMANCE_COLUMNS),
  reads: ['competencies', 'benefits', ...PERFORMANCE_TABLES],
  async query(ctx) {
    const plan = await planPerformance(ctx.db, ctx.caller, COMPETENCY_METRIC_PERIODS, today());
    return performanceStatement(ctx.caller, plan);
  },
};
