/**
 * Migration 6: generated reports (report downloads, warehouse/exports/downloads*.ts). One row per
 * requested report: what was asked (dataset, timeframe, format, filters), by whom and with which
 * scope (roles, locations: the file is written with the requester's permissions), and the job's
 * state (timeframe NULL: a snapshot dataset) QUEUED -> RUNNING -> READY | FAILED, then READY -> EXPIRED when the 14-day sweep removes
 * the file. Timestamps are UTC (warehouse/clock.ts, so PI_TODAY moves them in tests).
 */
export const up = `
CREATE TABLE generated_reports (
  report_id VARCHAR PRIMARY KEY,
  partner_id VARCHAR NOT NULL,
  dataset VARCHAR NOT NULL,
  title VARCHAR NOT NULL,
  timeframe VARCHAR,
  format VARCHAR NOT NULL,
  filters VARCHAR,
  status VARCHAR NOT NULL,
  requested_by VARCHAR,
  requester_roles VARCHAR[] NOT NULL,
  locations VARCHAR[],
  requested_at TIMESTAMP NOT NULL,
  started_at TIMESTAMP,
  generated_at TIMESTAMP,
  expires_at TIMESTAMP,
  file_path VARCHAR,
  file_name VARCHAR,
  content_type VARCHAR,
  row_count BIGINT,
  byte_count BIGINT,
  error VARCHAR
);
`;
