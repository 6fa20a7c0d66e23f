/**
 * Resolves once `condition` holds (polled every 10 ms) and returns the milliseconds it took;
 * rejects after `withinMs`, saying what did not happen (`what`: text, or a function of the moment).
 * For what a server finishes after the response (a temporary directory removed, a statement
 * interrupted): a fixed sleep before looking fails on a busy machine and hides how long it took.
 */
export async function until(condition: () => boolean, withinMs: number, what: string | (() => string)): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms: ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}
