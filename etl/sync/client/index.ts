/**
 * The HTTP client layer of `partner-insights sync`: settings, Entra tokens, the retrying HTTP
 * core, and one client per Microsoft API (Partner Center REST, Referrals, Graph billing exports).
 *
 *   const settings = partnerCenterSettingsFromEnv();
 *   const tokens = createTokenSource(settings);
 *   const http = new ApiHttp({ settings, tokens });
 *   const pc = new PartnerCenterClient(http, settings.apiUrl);
 *   const referrals = new ReferralsClient(http, settings.referralsUrl);
 *   const exports = new GraphBillingExports(http, settings.graphUrl);
 */
export {
  GRAPH_SCOPE,
  PARTNER_CENTER_SCOPE,
  REFERRALS_SCOPE,
  SETTINGS_HELP,
  partnerCenterSettingsFromEnv,
  type PartnerCenterSettings,
  type SettingHelp,
} from './settings';
export { TokenRequestError, createTokenSource, readCertificate, tokenEndpoint, type TokenSource, type TokenSourceOptions } from './token';
export {
  ApiHttp,
  CorruptBlobError,
  PartnerCenterApiError,
  redactUrl,
  retryAfterMs,
  type ApiHttpOptions,
  type DownloadResult,
  type FailureKind,
  type JsonRequest,
  type JsonResponse,
  type RequestEvent,
} from './http';
export {
  PartnerCenterClient,
  type Customer,
  type Invoice,
  type InvoiceDetail,
  type LegalBusinessProfile,
  type MpnProfile,
  type PartnerCenterClientOptions,
  type PartnerCenterCollection,
  type PartnerCenterLink,
  type PartnerRelationship,
  type SpendingBudget,
  type Subscription,
} from './partner-center';
export { ReferralsClient, type Referral, type ReferralCustomerProfile, type ReferralDetails, type ReferralQuery, type ReferralsClientOptions } from './referrals';
export {
  ExportFailedError,
  GraphBillingExports,
  blobFileName,
  blobUrl,
  type AttributeSet,
  type BillingOperation,
  type BillingPeriod,
  type GraphBillingExportsOptions,
  type Manifest,
  type ManifestBlob,
} from './graph-exports';
