/**
 * The vocabulary of the MPN program data (competencies and benefits): the file formats
 * (etl/formats/programs.ts), the reports (warehouse/insights/competencies.ts, benefits.ts) and the demo generator use it.
 */

/** The stages a competency status file carries; the report's fourth, At risk, is an Active one flagged (reference line 16704). */
export const COMPETENCY_STAGES = ['Started', 'Qualified', 'Active'] as const;
export const COMPETENCY_LEVELS = ['Silver', 'Gold'] as const;
/** The four competency categories (reference line 16676). */
export const COMPETENCY_AREAS = ['App and Infrastructure', 'Business applications', 'Data and AI', 'Modern workplace'] as const;
export const COMPETENCY_ACTIONS = ['Attained', 'Renewed', 'Lost'] as const;
/** The Benefits report's charts, one per kind of benefit (reference line 16766), in its order. */
export const BENEFIT_CATEGORIES = ['Cloud services', 'Software products', 'Visual Studio subscriptions', 'Technical benefits', 'Go-to-market'] as const;
export const BENEFIT_UNITS = ['Licenses', 'Seats', 'Incidents', 'Hours', 'Offers', 'USD credit'] as const;
