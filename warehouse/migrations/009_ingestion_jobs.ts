/**
 * Migration 9: ingestion jobs, the loads run by the serving process's ingestion queue
 * (etl/ingest/queue.ts, SQL in warehouse/ingestion/jobs.ts). One row per job in ingestion_jobs and
 * one row per file of the job in ingestion_job_files (its position in the job, the result of its
 * load and the etl_loads row it wrote).
 *
 * Job states: QUEUED -> RUNNING -> SUCCEEDED | FAILED (QUEUED -> FAILED when the queue closes or the
 * server dies before the job starts).
 *   SUCCEEDED  every file was loaded (possibly with some rows quarantined, under the bad-row
 *              threshold) or skipped as already loaded.
 *   FAILED     at least one file was rejected, or the job stopped on an error (error says which), or
 *              it was interrupted (the server stopped; marked at the next start). Files that loaded
 *              before stay loaded: one file is one transaction, a job is not.
 * File statuses: pending (not loaded: not reached, or the job stopped first), loaded, skipped,
 * rejected, failed (its load stopped on an error; nothing of it committed).
 * Timestamps are UTC (warehouse/clock.ts). job_seq is the creation order (newest first = highest).
 */
export const up = `
CREATE SEQUENCE ingestion_job_seq START 1;

CREATE TABLE ingestion_jobs (
  job_id VARCHAR PRIMARY KEY,
  job_seq BIGINT NOT NULL DEFAULT nextval('ingestion_job_seq'),
  partner_id VARCHAR NOT NULL,
  requested_by VARCHAR,
  state VARCHAR NOT NULL,             -- QUEUED | RUNNING | SUCCEEDED | FAILED
  file_count INTEGER NOT NULL,
  rows_loaded BIGINT NOT NULL DEFAULT 0,
  rows_quarantined BIGINT NOT NULL DEFAULT 0,
  error VARCHAR,
  created_at TIMESTAMP NOT NULL,
  started_at TIMESTAMP,
  finished_at TIMESTAMP
);

CREATE TABLE ingestion_job_files (
  job_id VARCHAR NOT NULL,
  partner_id VARCHAR NOT NULL,
  position INTEGER NOT NULL,          -- 0-based, the order the files are loaded in
  file_name VARCHAR NOT NULL,         -- as the requester named it (an upload's file name)
  file_path VARCHAR NOT NULL,         -- the path given to the queue (an upload's temporary file, deleted after the job)
  size_bytes BIGINT,
  format VARCHAR,
  status VARCHAR NOT NULL,            -- pending | loaded | skipped | rejected | failed
  rows_loaded BIGINT NOT NULL DEFAULT 0,
  rows_quarantined BIGINT NOT NULL DEFAULT 0,
  rows_replaced BIGINT NOT NULL DEFAULT 0,
  message VARCHAR,
  load_id BIGINT,                     -- etl_loads.load_id (none for a skipped or failed file)
  result_json VARCHAR,                -- the loader's whole result (etl/load LoadResult) as JSON, what the CLI prints
  finished_at TIMESTAMP,
  PRIMARY KEY (job_id, position)
);
`;
