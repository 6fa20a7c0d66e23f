import { readFileSync } from 'node:fs';

/**
 * The server process of `npm run bench:load` as Linux sees it (/proc/<pid>): its memory, VmRSS
 * (resident now: the Node heap and DuckDB's native buffers alike) and VmHWM (the kernel's own peak
 * of VmRSS, which also catches a spike between two samples); and its CPU time, which tells a server
 * that works harder per request under load from one that waits for a CPU on a busy machine.
 * Each reader returns null where /proc is not available.
 */
export interface ProcessMemory {
  rssBytes: number;
  peakRssBytes: number;
}

function readProc(pid: number, file: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null;
  }
}

export function processMemory(pid: number): ProcessMemory | null {
  const status = readProc(pid, 'status');
  if (status === null) return null;
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}

/** User + system CPU seconds of a process so far (clock ticks of 1/100 s, USER_HZ on Linux). */
export function processCpuSeconds(pid: number): number | null {
  const stat = readProc(pid, 'stat');
  if (stat === null) return null;
  // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Samples a process's RSS every `intervalMs`; `take()` returns the highest sample since the last take. */
export class RssSampler {
  private highest = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    this.sample();
  }

  private sample(): void {
    const m = processMemory(this.pid);
    if (m) this.highest = Math.max(this.highest, m.rssBytes);
  }

  take(): number {
    this.sample();
    const h = this.highest;
    this.highest = 0;
    return h;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
