import {
  expectedLicenseCharges,
  expectedOneTimeCharges,
  type ExpectedChargeLine,
  type ExpectedOneTimeLine,
  type LicenseChargeOptions,
  type LicenseSubscriptionHistory,
  type OneTimeChargeOptions,
  type OneTimeSubscriptionHistory,
} from '../../warehouse/billing';

/**
 * The billing rules the generator takes its reconciliation lines from: by default the product's own
 * (warehouse/billing), so the demo's files are exactly what the rules expect.
 */
export interface BillingRules {
  expectedLicenseCharges(history: LicenseSubscriptionHistory, options: LicenseChargeOptions): ExpectedChargeLine[];
  expectedOneTimeCharges(history: OneTimeSubscriptionHistory, options?: OneTimeChargeOptions): ExpectedOneTimeLine[];
}

export const PRODUCT_BILLING_RULES: BillingRules = { expectedLicenseCharges, expectedOneTimeCharges };
