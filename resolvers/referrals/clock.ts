import { now as referralNow } from '../../warehouse/clock';
import type { RequestContext } from '../common/context';

const NOW = Symbol('referrals:now');

/**
 * "Now" of a request, read once (warehouse/clock.ts: PI_TODAY or the system clock) and
 * kept for the whole request, so every field of one response applies the expiry rule at the same
 * instant.
 */
export function requestNow(ctx: RequestContext): Date {
  let now = ctx.loaders.get(NOW) as Date | undefined;
  if (!now) {
    now = referralNow();
    ctx.loaders.set(NOW, now);
  }
  return now;
}
