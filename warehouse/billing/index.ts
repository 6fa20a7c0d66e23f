/** The billing rules: what the reconciliation files should contain, from a subscription's history. */
export * from './types';
export { EXAMPLE_TOLERANCE, expectedLicenseCharges } from './license';
export { expectedOneTimeCharges } from './onetime';
export * as money from '../../core/money';
export * as dates from '../../core/dates';
export type { Money, RoundingMode } from '../../core/money';
