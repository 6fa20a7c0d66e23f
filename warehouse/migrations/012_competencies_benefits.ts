/**
 * Migration 12: the MPN program data the Competencies and Benefits reports read (reference lines
 * 16663 and 16751; file formats in etl/formats/programs.ts, SQL in warehouse/insights/competencies.ts and benefits.ts). Both belong
 * to the company, not to a location (reference line 3394): no mpn_id column.
 *
 * competencies: the partner's competency status as of status_date, one row per competency and level.
 *   competency_stage: Started, Qualified or Active; at_risk: an Active competency whose metrics are
 *   projected to fall below the threshold at its anniversary date (the report's "At risk").
 * competency_history: every attainment, renewal and loss (the report's "Competency history").
 * benefits: per month and benefit, the quantity granted and used.
 */
export const up = `
CREATE TABLE competencies (
  partner_id VARCHAR NOT NULL,
  competency_name VARCHAR NOT NULL,
  competency_area VARCHAR,
  competency_level VARCHAR NOT NULL,
  competency_stage VARCHAR NOT NULL,
  at_risk BOOLEAN,
  attainment_date DATE,
  anniversary_date DATE,
  status_date DATE,
  load_id BIGINT
);

CREATE TABLE competency_history (
  partner_id VARCHAR NOT NULL,
  competency_name VARCHAR NOT NULL,
  competency_level VARCHAR NOT NULL,
  attainment_date DATE NOT NULL,
  action VARCHAR NOT NULL,
  load_id BIGINT
);

CREATE TABLE benefits (
  partner_id VARCHAR NOT NULL,
  month DATE NOT NULL,
  benefit_category VARCHAR NOT NULL,
  benefit_name VARCHAR NOT NULL,
  unit VARCHAR NOT NULL,
  quantity_granted DECIMAL(18,6) NOT NULL,
  quantity_used DECIMAL(18,6) NOT NULL,
  activation_date DATE,
  expiry_date DATE,
  load_id BIGINT
);
`;
