import { basename, relative } from 'node:path';

/**
 * Progress on stderr, shared by the commands that take a while (`load`, `export`, `start`): on a
 * terminal one line rewritten in place ("\r", erase the line), cut to the terminal's width so that
 * it never wraps; elsewhere (a pipe, a file, CI) plain lines, a few at most. Whatever else a command
 * prints goes after clear(), so that a progress line never shares a line with it.
 */

/** Where progress goes: process.stderr, or a test's stand-in. */
export interface ProgressOut {
  write(text: string): unknown;
  /** The terminal's width (a TTY stream has it). */
  columns?: number;
}

/** What a progress event of the loader says (etl/load LoadProgress, or a load job's progress on a server). */
export interface FileProgress {
  path: string;
  phase: string;
  /** 0..1 of the phase when known. */
  fraction?: number;
  sizeBytes: number;
}

const ERASE = '\r\x1b[2K';

export function size(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(0)} MB`;
  return `${Math.ceil(bytes / 1e3)} kB`;
}

/** "12 s", "2 min 05 s". */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

const int = (n: number) => n.toLocaleString('en-US');

/** One file's progress: "usage-2026-03.csv (12 MB): reading 40%" (`name`: how to call the file, default its base name). */
export function fileLine(p: FileProgress, name: string = basename(p.path)): string {
  const pct = p.fraction === undefined ? '' : ` ${Math.floor(p.fraction * 100)}%`;
  return `${name} (${size(p.sizeBytes)}): ${p.phase}${pct}`;
}

/** `line` cut to a terminal `columns` wide (one column left for the cursor), so that rewriting it never leaves wrapped rows behind. */
export function fitLine(line: string, columns: number | undefined): string {
  if (!columns || columns < 20 || line.length < columns) return line;
  return `${line.slice(0, columns - 2)}…`;
}

/** One line of a terminal, rewritten in place; clear() erases it (the next show() draws it again). */
export class TerminalLine {
  private shown = '';
  constructor(private readonly out: ProgressOut = process.stderr) {}

  show(line: string): void {
    const fitted = fitLine(line, this.out.columns);
    if (fitted === this.shown) return;
    this.out.write(`${ERASE}${fitted}`);
    this.shown = fitted;
  }

  clear(): void {
    if (this.shown) this.out.write(ERASE);
    this.shown = '';
  }
}

/**
 * `load`'s progress by file, for loads that take more than a second: one rewritten line on a
 * terminal, plain lines (each phase, every 10%) when asked for with --progress without one.
 */
export function progressPrinter(tty: boolean, afterMs = 1000, out: ProgressOut = process.stderr): { update(p: FileProgress): void; clear(): void } {
  const terminal = new TerminalLine(out);
  let lastPlain = '';
  let file = '';
  let since = 0;
  return {
    update(p) {
      if (p.path !== file) {
        file = p.path;
        since = Date.now();
      }
      if (tty && Date.now() - since < afterMs) return;
      const line = fileLine(p);
      if (tty) terminal.show(line);
      else {
        const key = `${p.path}:${p.phase}:${p.fraction === undefined ? '' : Math.floor(p.fraction * 10)}`;
        if (key === lastPlain) return;
        lastPlain = key;
        out.write(`${line}\n`);
      }
    },
    clear() {
      terminal.clear();
    },
  };
}

/** `export`'s progress by count: one rewritten line on a terminal after a second; plain lines every 10 s otherwise. */
export function progressLine(label: string, tty: boolean, unit = 'rows', out: ProgressOut = process.stderr): { update(count: number, percent?: number): void; clear(): void } {
  const started = Date.now();
  const terminal = new TerminalLine(out);
  let lastPlain = 0;
  return {
    update(count, percent) {
      const ms = Date.now() - started;
      if (ms < 1000) return;
      const line = `${label}: ${int(count)} ${unit}${percent !== undefined && percent >= 0 ? `, ${percent.toFixed(0)}%` : ''}, ${(ms / 1000).toFixed(0)} s`;
      if (tty) terminal.show(line);
      else if (ms - lastPlain >= 10_000) {
        lastPlain = ms;
        out.write(`${line}\n`);
      }
    },
    clear() {
      terminal.clear();
    },
  };
}

/** Where a batch of files stands (`start` loading the demo). */
export interface BatchState {
  label: string;
  filesDone: number;
  filesTotal: number;
  rows: number;
  elapsedMs: number;
  /** The file being loaded and its phase; its name as shown (a path under the batch's folder). */
  current?: { progress: FileProgress; name: string } | null;
  /** A step of the batch without a file (rebuilding the rollups at its end): shown instead of the file. */
  step?: string | null;
}

/** "Loading the demo: 41/318 files, 52,210 rows, 12 s | contoso/usage/2026-03.csv (12 MB): reading 40%". */
export function formatBatchLine(s: BatchState): string {
  const head = `${s.label}: ${int(s.filesDone)}/${int(s.filesTotal)} files, ${int(s.rows)} rows, ${elapsed(s.elapsedMs)}`;
  if (s.step) return `${head} | ${s.step}`;
  if (s.current) return `${head} | ${fileLine(s.current.progress, s.current.name)}`;
  return head;
}

export interface LiveOptions {
  tty: boolean;
  out?: ProgressOut;
  /** Without a terminal: a plain line at most this often (ms). */
  everyMs?: number;
  /** How often the line is drawn again by itself (its clock; ms; 0: only on updates). */
  tickMs?: number;
  now?: () => number;
}

/**
 * A progress line drawn from `render(elapsedMs)`: on a terminal redrawn on update() (at most ten
 * times a second) and every tick (its clock moves while nothing else does); without one, a plain line
 * at most every `everyMs` (default 5 s), and at once on update(true) (a new step). stop() ends it.
 */
export class LiveLine {
  private readonly out: ProgressOut;
  private readonly now: () => number;
  private readonly everyMs: number;
  private readonly started: number;
  private readonly terminal: TerminalLine;
  private lastDraw = -Infinity;
  private lastPlain: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly render: (elapsedMs: number) => string,
    private readonly options: LiveOptions,
  ) {
    this.out = options.out ?? process.stderr;
    this.now = options.now ?? Date.now;
    this.everyMs = options.everyMs ?? 5000;
    this.started = this.now();
    this.lastPlain = this.started;
    this.terminal = new TerminalLine(this.out);
    const tickMs = options.tickMs ?? 1000;
    if (tickMs > 0) {
      this.timer = setInterval(() => this.update(), tickMs);
      this.timer.unref();
    }
  }

  /** Draws the line again (a terminal), or prints it when `everyMs` has gone by (else), or at once with `force`. */
  update(force = false): void {
    const now = this.now();
    if (this.options.tty) {
      if (!force && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.terminal.show(this.render(now - this.started));
    } else if (force || now - this.lastPlain >= this.everyMs) {
      this.lastPlain = now;
      this.out.write(`${this.render(now - this.started)}\n`);
    }
  }

  /** Erases the line on a terminal before other output; the next update draws it again. */
  clear(): void {
    this.terminal.clear();
    this.lastDraw = -Infinity;
  }

  /** Stops its clock and erases the line. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.clear();
  }
}

/**
 * The progress of a batch of files loaded one after the other (loadFiles): files done of all, rows
 * loaded, the file being loaded and its phase, the time it has taken (formatBatchLine).
 */
export class BatchProgress {
  private readonly state: BatchState;
  private readonly line: LiveLine;

  constructor(label: string, filesTotal: number, private readonly root: string | undefined, options: LiveOptions) {
    this.state = { label, filesDone: 0, filesTotal, rows: 0, elapsedMs: 0, current: null, step: null };
    this.line = new LiveLine((ms) => formatBatchLine({ ...this.state, elapsedMs: ms }), options);
  }

  /** A progress event of the file being loaded. */
  file(p: FileProgress): void {
    const name = this.root ? relative(this.root, p.path) : basename(p.path);
    this.state.current = { progress: p, name };
    this.state.step = null;
    this.line.update();
  }

  /** A file ended, having loaded `rows` rows. */
  done(rows: number): void {
    this.state.filesDone++;
    this.state.rows += rows;
    this.state.current = null;
    this.line.update();
  }

  /** A step without a file (shown at once, also as a plain line). */
  step(text: string): void {
    this.state.step = text;
    this.line.update(true);
  }

  /** Draws the line now (a terminal), or prints it now (else): where the batch starts. */
  show(): void {
    this.line.update(true);
  }

  clear(): void {
    this.line.clear();
  }

  stop(): void {
    this.line.stop();
  }

  get filesDone(): number {
    return this.state.filesDone;
  }
}
