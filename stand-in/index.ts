/**
 * A local stand-in for Microsoft's partner APIs (Entra ID token endpoint, Partner Center REST, the
 * Referrals API, Microsoft Graph partner billing exports and their blobs), for tests, benchmarks
 * and trying `partner-insights sync` without a Partner Center account. See README.md.
 */
export { startStandIn, type Fault, type RequestRecord, type StandIn, type StandInOptions } from './server';
export {
  PRESETS,
  LINE_KINDS,
  StandInDataSet,
  StandInInvoice,
  generateDataSet,
  lineTotal,
  lineTotalCents,
  type DataSetOptions,
  type Json,
  type LineItem,
  type LineKind,
  type Partner,
  type PresetName,
  type StandInSubscription,
  type SubscriptionKind,
} from './data-set';
export { graphRecord, restItem, GRAPH_USAGE_ATTRIBUTES, type AttributeSet } from './shapes';
export { AUDIENCES } from './entra';
