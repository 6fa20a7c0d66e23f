import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlRunner } from '../../../core/sql';
import { lit } from '../sql';
import type { QuarantineSample } from '../types';
import type { Tally } from './check';
import type { Quarantine } from './quarantine';

/** Raised inside the load transaction when the file has too many bad rows; the transaction rolls back. */
export class TooManyBadRows extends Error {
  constructor(
    message: string,
    readonly quarantineFile: string,
    readonly badRows: number,
    readonly quarantined: number,
    readonly reasons: QuarantineSample[],
  ) {
    super(message);
  }
}

/**
 * Too many bad rows: nothing of the file lands. The quarantine rows are written to a Parquet file
 * (recorded after the rollback, with the etl_loads row saying why) and TooManyBadRows is thrown.
 */
export async function refuseIfTooManyBad(tx: SqlRunner, loadId: number, tally: Tally, quarantine: Quarantine, maxBadShare: number): Promise<void> {
  const { badRows, totalRows } = tally;
  const share = totalRows > 0 ? badRows / totalRows : 0;
  if (!(share > maxBadShare)) return;
  const file = join(tmpdir(), `pi-quarantine-${process.pid}-${loadId}.parquet`);
  await tx.run(`COPY pi_quarantine TO ${lit(file)} (FORMAT parquet)`);
  const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1).replace(/\.0+$/, '')}%`;
  const message =
    `${badRows} of ${totalRows} rows are bad (${pct(share)}), over the limit of ${pct(maxBadShare)} ` +
    `(--max-bad-share, PI_MAX_BAD_ROW_SHARE); no rows loaded. First problems: ${quarantine.reasons.map(describeSample).join('; ')}`;
  throw new TooManyBadRows(message, file, badRows, quarantine.entries, quarantine.reasons);
}

function describeSample(s: QuarantineSample): string {
  const where = [s.line !== null ? `line ${s.line}` : undefined, s.column ?? undefined].filter(Boolean).join(', ');
  return `${where ? `${where}: ` : ''}${s.reason}`;
}
