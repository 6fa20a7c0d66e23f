import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { sha256File } from '../hash';
import type { LoadOptions, LoadProgress, LoadResult } from '../types';

/** The current UTC time as DuckDB TIMESTAMP text, for etl_loads.started_at and finished_at. */
export const utcNow = () => new Date().toISOString().replace('T', ' ').replace('Z', '');

/**
 * One file's load as it goes: the result filled in phase by phase, the seconds each phase took,
 * progress reports and the content hash (computed in the background while other phases run).
 */
export class LoadRun {
  readonly result: LoadResult;
  private mark = Date.now();
  private hashing: Promise<string> | undefined;

  private constructor(
    readonly path: string,
    readonly fileName: string,
    readonly size: number,
    readonly options: LoadOptions,
    private readonly started: number,
    readonly startedAt: string,
  ) {
    this.result = {
      path,
      fileName,
      status: 'rejected',
      sizeBytes: size,
      rowsLoaded: 0,
      rowsQuarantined: 0,
      quarantineEntries: 0,
      rowsReplaced: 0,
      rowsSkipped: 0,
      supersededLoads: [],
      message: '',
      reasons: [],
      seconds: 0,
      timings: {},
    };
  }

  /** Starts the load of the file at inputPath (its size read now); started is when the load began. */
  static async open(inputPath: string, options: LoadOptions, started: number, startedAt: string): Promise<LoadRun> {
    const path = resolve(inputPath);
    const size = (await stat(path)).size;
    return new LoadRun(path, basename(path), size, options, started, startedAt);
  }

  /** Adds the seconds since the last lap to the named phase's timing. */
  lap(name: string): void {
    const now = Date.now();
    this.result.timings[name] = (this.result.timings[name] ?? 0) + (now - this.mark) / 1000;
    this.mark = now;
  }

  progress(phase: LoadProgress['phase'], fraction?: number): void {
    this.options.onProgress?.({ path: this.path, phase, fraction, sizeBytes: this.size });
  }

  /** Ends the load: the patch goes into the result, which is reported (onResult) and returned. */
  done(patch: Partial<LoadResult>): LoadResult {
    Object.assign(this.result, patch, { seconds: (Date.now() - this.started) / 1000 });
    this.options.onResult?.(this.result);
    return this.result;
  }

  /** Starts hashing the bytes; with progress, 'hashing' is reported at most every 200 ms. */
  startHashing(withProgress: boolean): void {
    let lastReport = 0;
    this.hashing = sha256File(
      this.path,
      withProgress
        ? (bytes) => {
            const now = Date.now();
            if (now - lastReport > 200) {
              lastReport = now;
              this.progress('hashing', this.size ? bytes / this.size : 1);
            }
          }
        : undefined,
    );
    this.hashing.catch(() => undefined);
  }

  /** The sha256 of the file (awaits the hashing started by startHashing); also kept in the result. */
  async contentHash(): Promise<string> {
    return (this.result.contentHash = await this.hashing!);
  }
}
