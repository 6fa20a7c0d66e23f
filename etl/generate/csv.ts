import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { ColumnSpec, FileFormat } from '../formats';
import { usDate, usTimestamp } from './dates';

/**
 * A cell value: strings are written as given (money as decimal strings), dates as ISO strings
 * (YYYY-MM-DD, or YYYY-MM-DD HH:MM:SS with a time), which a file in the en-US style writes M/D/YYYY.
 */
export type CsvValue = string | number | boolean | null | undefined;
/** A row keyed by the format's header names. */
export type CsvRow = Record<string, CsvValue>;

const CHUNK = 64 * 1024;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function formatValue(column: ColumnSpec, value: CsvValue, dateStyle: FileFormat['dateStyle']): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${column.header}: not a finite number`);
    return String(value);
  }
  if (dateStyle === 'us' && ISO_DATE.test(value)) return usDate(value);
  if (dateStyle === 'us' && ISO_TIMESTAMP.test(value)) return usTimestamp(value);
  return csvField(value);
}

/**
 * Writes one file of a format: the header line (every column of the format, headers exactly as
 * defined) and then rows, buffered into chunks and written with backpressure.
 */
export class CsvFileWriter {
  private buffer = '';
  private count = 0;
  private readonly stream: WriteStream;
  private readonly headers: Set<string>;
  private failure: Error | undefined;

  constructor(
    readonly path: string,
    readonly format: FileFormat,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    this.stream.on('error', (err) => (this.failure = err));
    this.headers = new Set(format.columns.map((c) => c.header));
    this.buffer = format.columns.map((c) => csvField(c.header)).join(',') + '\n';
  }

  get rows(): number {
    return this.count;
  }

  async write(row: CsvRow): Promise<void> {
    for (const key of Object.keys(row)) {
      if (!this.headers.has(key)) throw new Error(`${this.format.name}: no column "${key}"`);
    }
    this.buffer += this.format.columns.map((c) => formatValue(c, row[c.header], this.format.dateStyle)).join(',') + '\n';
    this.count++;
    if (this.buffer.length >= CHUNK) await this.flush();
  }

  async writeAll(rows: Iterable<CsvRow>): Promise<void> {
    for (const row of rows) await this.write(row);
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  /** Flushes and closes; returns the number of data rows. */
  async close(): Promise<number> {
    if (this.buffer) await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
    if (this.failure) throw this.failure;
    return this.count;
  }
}
