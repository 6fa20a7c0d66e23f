import { parseIsoDate } from '../billing/dates';

/**
 * "Today" for the subscription lifecycle (event dates, suspension expiry, cancellation windows,
 * how far expected charges go): PI_TODAY (YYYY-MM-DD) when set, so that tests and demos are
 * deterministic, else the current UTC date.
 */
export function today(env: NodeJS.ProcessEnv = process.env): string {
  const fixed = env.PI_TODAY?.trim();
  if (fixed) {
    parseIsoDate(fixed); // throws on anything but a real YYYY-MM-DD date
    return fixed;
  }
  return new Date().toISOString().slice(0, 10);
}
