/**
 * Migration 10: Partner Center syncs (etl/sync runs them, SQL in warehouse/sync/runs.ts).
 *
 * sync_runs: one row per sync, its state and progress. States: QUEUED -> RUNNING -> SUCCEEDED |
 * FAILED. FAILED: a unit failed (an export operation failed, a blob did not decompress, a file was
 * rejected: `error` lists them; the other units stay loaded), the sync stopped on an error, or the
 * process stopped while it ran (marked at the next start). A FAILED unit is fetched again by the
 * next sync.
 * sync_units: one row per fetched unit (a page of customers, a customer page's subscriptions, an
 * invoice's line items of one kind...), the load job that loaded it and what it came to.
 * sync_invoices: what the warehouse holds of each invoice the sync has seen: the invoice's
 * fingerprint as the API listed it (total, document type, amendments) when its line items were
 * last loaded. A later sync fetches an invoice's line items again only when it is not LOADED or
 * its fingerprint changed (a corrected invoice): this is what keeps a second sync from fetching
 * what it already holds.
 * Timestamps are UTC (warehouse/clock.ts). sync_seq is the creation order (newest first = highest).
 */
export const up = `
CREATE SEQUENCE sync_run_seq START 1;

CREATE TABLE sync_runs (
  sync_id VARCHAR PRIMARY KEY,
  sync_seq BIGINT NOT NULL DEFAULT nextval('sync_run_seq'),
  partner_id VARCHAR NOT NULL,
  requested_by VARCHAR,
  trigger VARCHAR NOT NULL,           -- cli | graphql | schedule | http
  state VARCHAR NOT NULL,             -- QUEUED | RUNNING | SUCCEEDED | FAILED
  phase VARCHAR,                      -- what it is doing now: profile, customers, subscriptions, resellers, referrals, invoices, unbilled, done
  units_done INTEGER NOT NULL DEFAULT 0,
  units_failed INTEGER NOT NULL DEFAULT 0,
  units_skipped INTEGER NOT NULL DEFAULT 0,
  rows_loaded BIGINT NOT NULL DEFAULT 0,
  requests INTEGER NOT NULL DEFAULT 0,
  bytes_downloaded BIGINT NOT NULL DEFAULT 0,
  error VARCHAR,
  created_at TIMESTAMP NOT NULL,
  started_at TIMESTAMP,
  finished_at TIMESTAMP
);

CREATE TABLE sync_units (
  sync_id VARCHAR NOT NULL,
  partner_id VARCHAR NOT NULL,
  position INTEGER NOT NULL,          -- 0-based, in the order the units were fetched
  kind VARCHAR NOT NULL,              -- profile | customers | subscriptions | resellers | referrals | invoice | unbilled
  unit_key VARCHAR NOT NULL,          -- which one: a page number, an invoice id and line-item kind
  state VARCHAR NOT NULL,             -- LOADED | SKIPPED (nothing new) | FAILED
  job_id VARCHAR,                     -- ingestion_jobs.job_id of the load (none when nothing was loaded)
  rows_loaded BIGINT NOT NULL DEFAULT 0,
  message VARCHAR,
  finished_at TIMESTAMP NOT NULL,
  PRIMARY KEY (sync_id, position)
);

CREATE TABLE sync_invoices (
  partner_id VARCHAR NOT NULL,
  invoice_id VARCHAR NOT NULL,
  fingerprint VARCHAR NOT NULL,       -- of the invoice as /v1/invoices listed it
  state VARCHAR NOT NULL,             -- LOADED | FAILED
  error VARCHAR,
  attempts INTEGER NOT NULL DEFAULT 1,
  sync_id VARCHAR NOT NULL,           -- the sync that last fetched it
  updated_at TIMESTAMP NOT NULL,
  PRIMARY KEY (partner_id, invoice_id)
);
`;
