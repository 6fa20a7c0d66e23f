import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { generateDemoData, type GenerateOptions, type GeneratedSummary } from '../../etl/generate';

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `pi-${label}-`));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export async function generateInto(label: string, options: Omit<GenerateOptions, 'out'>): Promise<{ dir: string; summary: GeneratedSummary }> {
  const dir = tempDir(label);
  const summary = await generateDemoData({ out: dir, ...options });
  return { dir, summary };
}

/** sha256 of every file under dir, by relative path. */
export function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** A small DuckDB for reading the generated CSV files back. */
export class Duck {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(): Promise<Duck> {
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    return new Duck(instance, await instance.connect());
  }

  async rows<T = Record<string, string | null>>(sql: string): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as T[];
  }

  async one<T = Record<string, string | null>>(sql: string): Promise<T> {
    const [row] = await this.rows<T>(sql);
    return row;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** SQL for reading one or more CSV files with every column as text. */
export function csv(path: string | string[]): string {
  const paths = Array.isArray(path) ? `[${path.map((p) => `'${p}'`).join(', ')}]` : `'${path}'`;
  return `read_csv(${paths}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', filename = true, union_by_name = true)`;
}

export const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
