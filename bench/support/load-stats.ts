import type { Sample } from './load-clients';

/**
 * The figures of `npm run bench:load`: latency percentiles of the clean answers (errors are counted
 * apart, so that a fast failure cannot flatter a percentile), per request type and overall, and
 * per client for fairness.
 */
export interface Latency {
  n: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function latency(samples: readonly Sample[]): Latency {
  const sorted = samples
    .filter((s) => s.ok)
    .map((s) => s.ms)
    .sort((a, b) => a - b);
  return {
    n: sorted.length,
    errors: samples.length - sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

/** Latency per request type, in the order given, then "overall". */
export function latencyByType(samples: readonly Sample[], types: readonly string[]): Map<string, Latency> {
  const byType = new Map<string, Latency>();
  for (const t of types) {
    const of = samples.filter((s) => s.type === t);
    if (of.length) byType.set(t, latency(of));
  }
  byType.set('overall', latency(samples));
  return byType;
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0] ?? NaN, median: percentile(sorted, 50), max: sorted[sorted.length - 1] ?? NaN };
}

/**
 * Fairness across clients: the spread of their own p99 (over the clients with a clean answer) and
 * of how many clean answers each got; `starved` clients got none.
 */
export function perClient(samples: readonly Sample[], clients: number): { p99: Spread; requests: Spread; worstClient: number; starved: number } {
  const ofClient: Sample[][] = Array.from({ length: clients }, () => []);
  for (const s of samples) ofClient[s.client].push(s);
  const figures = ofClient.map((own) => latency(own));
  const p99s = figures.map((f) => f.p99).filter(Number.isFinite);
  const worst = Math.max(...p99s);
  return {
    p99: spread(p99s),
    requests: spread(figures.map((f) => f.n)),
    worstClient: figures.findIndex((f) => f.p99 === worst),
    starved: figures.filter((f) => f.n === 0).length,
  };
}
