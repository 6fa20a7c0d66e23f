/** The billing rules: what the reconciliation files should contain, from a subscription's history. */
export * from './types';
export { EXAMPLE_TOLERANCE, expectedLicenseCharges } from './license';
export { expectedOneTimeCharges } from './onetime';
export * as money from './money';
export * as dates from './dates';
export type { Money, RoundingMode } from './money';
