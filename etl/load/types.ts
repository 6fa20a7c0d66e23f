/** What loadFile takes and gives: its options, progress reports and result. */

export interface LoadOptions {
  /** Share (0..1) of bad rows past which a file is rejected whole. Default: PI_MAX_BAD_ROW_SHARE or 0.05. */
  maxBadShare?: number;
  /** Load every file as this format (a FILE_FORMATS name) instead of detecting it from the header. */
  format?: string;
  /** Called as a load goes on (hashing, then reading), a few times a second at most. */
  onProgress?: (progress: LoadProgress) => void;
  /** Called once per file with its result, before the next file starts. */
  onResult?: (result: LoadResult) => void;
  /**
   * Part of a batch (set by loadFiles for more than one file): the load refreshes only the per-row
   * rollups and marks its partners' cubes and PCI rollups stale in its transaction, for one
   * rebuildStaleRollups at the end of the batch (warehouse/insights/stale-rollups.ts).
   */
  batch?: boolean;
  /** The partner of files without a PartnerId column (Partner Center's customer and subscription exports). Default: the warehouse's only partner. */
  partnerId?: string;
  /** The customer of a customer's subscriptions export. Default: the Microsoft ID (GUID) in the file name. */
  customerId?: string;
  /** The invoice number of reconciliation rows without one (no InvoiceNumber column). Default: the G number in the file name. */
  invoiceNumber?: string;
}

export interface LoadProgress {
  path: string;
  phase: 'hashing' | 'reading' | 'checking';
  /** 0..1 of the phase when known. */
  fraction?: number;
  sizeBytes: number;
}

/** One quarantined value: where it is in the file and why it was refused. */
export interface QuarantineSample {
  line: number | null;
  column: string | null;
  value: string | null;
  reason: string;
}

export interface LoadResult {
  path: string;
  fileName: string;
  status: 'loaded' | 'skipped' | 'rejected';
  format?: string;
  table?: string;
  /** The etl_loads row written for the file (none for a skipped file). */
  loadId?: number;
  contentHash?: string;
  sizeBytes: number;
  rowsLoaded: number;
  /** Rows kept out as bad (rows_quarantined); rowsLoaded + rowsQuarantined + rowsSkipped = data rows. */
  rowsQuarantined: number;
  /** etl_quarantine entries written: one per bad value, so a row can have several. */
  quarantineEntries: number;
  /** Rows of earlier loads deleted because this file covers the same replaceBy keys. */
  rowsReplaced: number;
  /** Rows with no value at all (only delimiters, as Excel leaves at the end) that were ignored. */
  rowsSkipped: number;
  /** Earlier loads whose rows are now all replaced. */
  supersededLoads: number[];
  /** What was found about the file's dialect (etl_loads.detected). */
  detected?: string;
  /** Said to the user when the file is not in the documented en-US form. */
  notice?: string;
  /** Why a file was skipped or rejected; for a loaded file, a short description. */
  message: string;
  /** The first quarantine reasons, by line. */
  reasons: QuarantineSample[];
  seconds: number;
  /**
   * Reconciliation files: lines checked against the documented amount rule and lines that did not
   * follow it (quarantined, their reasons in the quarantine).
   */
  amountCheck?: AmountCheck;
  /** Seconds spent per phase (hash, detect, insert, check, quarantine, replace, commit). */
  timings: Record<string, number>;
}

/** The amount check of a load: lines checked (those with every input of the rule), lines quarantined for it. */
export interface AmountCheck {
  checked: number;
  differences: number;
}
