/**
 * Migration 8: etl_stale_rollups, the partners whose derived Insights rollups (the cubes and the PCI
 * rollups) are behind their rows. A multi-file load (etl/load/index.ts, loadFiles) refreshes only the
 * per-row rollups per file and marks the file's partners here in the file's own transaction; at the
 * end of the batch one transaction rebuilds the marked partners and deletes their marks. If the
 * process dies mid-batch, the marks survive and Warehouse.open rebuilds those partners before
 * anything reads the reports (warehouse/insights/stale-rollups.ts).
 */
export const up = `
CREATE TABLE etl_stale_rollups (
  partner_id VARCHAR NOT NULL,
  marked_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
`;
