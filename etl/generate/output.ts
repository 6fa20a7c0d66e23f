import { join } from 'node:path';
import type { FileFormat } from '../formats';
import { CsvFileWriter, type CsvRow } from './csv';
import type { Partner } from './model';

export interface GeneratedFile {
  /** Path relative to the output directory, with forward slashes. */
  path: string;
  format: string;
  rows: number;
  partnerId: string;
  invoiceNumber?: string;
}

/** The output directory and the list of files written to it (the manifest). */
export class Output {
  readonly files: GeneratedFile[] = [];

  constructor(readonly dir: string) {}

  path(relPath: string): string {
    return join(this.dir, relPath);
  }

  async write(partner: Partner, relPath: string, format: FileFormat, rows: Iterable<CsvRow>, invoiceNumber?: string): Promise<void> {
    const writer = new CsvFileWriter(this.path(relPath), format);
    await writer.writeAll(rows);
    this.register({ path: relPath, format: format.name, rows: await writer.close(), partnerId: partner.id, ...(invoiceNumber ? { invoiceNumber } : {}) });
  }

  register(file: GeneratedFile): void {
    this.files.push(file);
  }
}
