import { BENEFIT_CATEGORIES, BENEFIT_UNITS, COMPETENCY_ACTIONS, COMPETENCY_AREAS, COMPETENCY_LEVELS, COMPETENCY_STAGES } from '../../core/programs';
import type { FileFormat } from './types';

/**
 * MPN program data: competencies and benefits. Partner Center keeps both per company, not per
 * location ("Your competencies and benefits from all your locations are consolidated at the company
 * (PGA) level", reference line 3394; "Benefits are per entire company", line 3389), so these files
 * carry a partner and no MPN ID. Partner Center documents no file layout for them: the columns are
 * defined here from the Competencies and Benefits reports (lines 16663, 16751).
 */

/** One row per competency and level the partner is working on or holds: its stage today. */
export const competencyFormat: FileFormat = {
  name: 'competencies',
  table: 'competencies',
  description: 'Competency status of the company: competency, area, level (Silver/Gold), stage (Started, Qualified, Active), at risk, attainment and anniversary dates',
  source: 'defined here from the Competencies report (reference lines 16663-16750: life cycle, summary stages, anniversary date); one file is the partner\'s whole status',
  dateStyle: 'iso',
  // A status file is the partner's whole competency status as of its date.
  replaceBy: ['partner_id'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'CompetencyName', column: 'competency_name', required: true, notEmpty: true },
    { header: 'CompetencyArea', column: 'competency_area', allowed: COMPETENCY_AREAS },
    { header: 'CompetencyLevel', column: 'competency_level', required: true, notEmpty: true, allowed: COMPETENCY_LEVELS },
    { header: 'CompetencyStage', column: 'competency_stage', required: true, notEmpty: true, allowed: COMPETENCY_STAGES },
    { header: 'AtRisk', column: 'at_risk' },
    { header: 'AttainmentDate', column: 'attainment_date' },
    { header: 'AnniversaryDate', column: 'anniversary_date' },
    { header: 'StatusDate', column: 'status_date', required: true, notEmpty: true },
  ],
};

/** Every attainment, renewal and loss of a competency: the report's "Competency history" table. */
export const competencyHistoryFormat: FileFormat = {
  name: 'competency-history',
  table: 'competency_history',
  description: 'Competency history of the company: competency, level, date and action (Attained, Renewed, Lost)',
  source: 'defined here from the Competencies report\'s "Competency history" table (reference line 16729: Competency, Competency level, Attainment date, Action); one file is the partner\'s whole history',
  dateStyle: 'iso',
  replaceBy: ['partner_id'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'CompetencyName', column: 'competency_name', required: true, notEmpty: true },
    { header: 'CompetencyLevel', column: 'competency_level', required: true, notEmpty: true, allowed: COMPETENCY_LEVELS },
    { header: 'AttainmentDate', column: 'attainment_date', required: true, notEmpty: true },
    { header: 'Action', column: 'action', required: true, notEmpty: true, allowed: COMPETENCY_ACTIONS },
  ],
};

/** One row per benefit and month: what was granted and how much of it was used (activated, consumed). */
export const benefitFormat: FileFormat = {
  name: 'benefits',
  table: 'benefits',
  description: 'Benefits of the company per month: category, benefit, unit, quantity granted and used, activation and expiry dates',
  source: 'defined here from the Benefits report (reference lines 16751-16857: cloud services and software licenses granted, Visual Studio subscriptions activated against allocated, support hours and incidents, Go-To-Market offers activated against allocated)',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'month', 'benefit_name'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'Month', column: 'month', required: true, notEmpty: true },
    { header: 'BenefitCategory', column: 'benefit_category', required: true, notEmpty: true, allowed: BENEFIT_CATEGORIES },
    { header: 'BenefitName', column: 'benefit_name', required: true, notEmpty: true },
    { header: 'Unit', column: 'unit', required: true, notEmpty: true, allowed: BENEFIT_UNITS },
    { header: 'QuantityGranted', column: 'quantity_granted', required: true, notEmpty: true, quantity: true },
    { header: 'QuantityUsed', column: 'quantity_used', required: true, notEmpty: true, quantity: true },
    { header: 'ActivationDate', column: 'activation_date' },
    { header: 'ExpiryDate', column: 'expiry_date' },
  ],
};
