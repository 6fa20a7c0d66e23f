import {
  ApiHttp,
  createTokenSource,
  GraphBillingExports,
  PartnerCenterClient,
  ReferralsClient,
  type ApiHttpOptions,
  type PartnerCenterSettings,
} from './client';

/**
 * What a sync reads from Microsoft, over one HTTP core (one token cache, one retry policy), with
 * the count of requests made (retries included) its record shows.
 */
export interface SyncSource {
  partnerCenter: PartnerCenterClient;
  referrals: ReferralsClient;
  exports: GraphBillingExports;
  requests(): number;
}

/** Test and benchmark knobs of the HTTP core and the export polling (a fast sleep). */
export interface SourceOptions {
  sleep?: ApiHttpOptions['sleep'];
  pollIntervalMs?: number;
}

export function partnerCenterSource(settings: PartnerCenterSettings, options: SourceOptions = {}): SyncSource {
  let requests = 0;
  const http = new ApiHttp({
    settings,
    tokens: createTokenSource(settings),
    sleep: options.sleep,
    onRequest: () => void requests++,
  });
  return {
    partnerCenter: new PartnerCenterClient(http, settings.apiUrl),
    referrals: new ReferralsClient(http, settings.referralsUrl),
    exports: new GraphBillingExports(http, settings.graphUrl, { pollIntervalMs: options.pollIntervalMs, sleep: options.sleep }),
    requests: () => requests,
  };
}
