import { FACTS } from '../facts';
import { defineMetrics } from './types';

/**
 * Referral insights (Partner Center "Get referral insights", reference lines 9103-9174): the
 * Referrals summary. Referrals are counted in the month they were created (a cohort: "won" = created
 * in the month and Won now); the page's range value is the total over the range.
 */
export const REFERRAL_METRICS = defineMetrics([
  {
    name: 'referrals',
    reports: ['referrals'],
    title: 'Total referrals',
    definition: 'Referrals summary: "the total number of referrals ... for the selected time period" (referrals created in the period).',
    unit: 'count',
    grain: 'month',
    fact: 'referral',
    measure: 'count(DISTINCT referral_id)',
    rangeValue: 'sum',
    dimensions: FACTS.referral.dimensions,
    permissions: ['readReferrals'],
  },
  {
    name: 'referralsWon',
    reports: ['referrals'],
    title: 'Referrals won',
    definition: 'Referrals summary: "the number that were won" (referrals created in the period whose status is Won).',
    unit: 'count',
    grain: 'month',
    fact: 'referral',
    measure: 'count(DISTINCT referral_id) FILTER (WHERE is_won)',
    rangeValue: 'sum',
    dimensions: FACTS.referral.dimensions,
    permissions: ['readReferrals'],
  },
  {
    name: 'referralDealVolume',
    reports: ['referrals'],
    title: 'Deal volume (USD)',
    definition: 'Referrals summary: "the total deal volume (in USD)": the DealValueUsd of the referrals created in the period that were won.',
    unit: 'USD',
    grain: 'month',
    fact: 'referral',
    measure: 'coalesce(sum(deal_value_usd) FILTER (WHERE is_won), 0)::DECIMAL(38, 2)',
    rangeValue: 'sum',
    dimensions: FACTS.referral.dimensions,
    permissions: ['readReferrals', 'seeDealValue'],
  },
]);
