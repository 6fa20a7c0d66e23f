import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Caller } from '../core/caller';
import { PARTNER_ROLES, type PartnerRole } from '../core/vocabulary';
import { AuthError, type AuthConfig } from './auth';

/**
 * Signed links to the executive report: `/reports/executive?month=YYYY-MM&sig=...` opens in a
 * browser without a header (an executive clicks it in a mail), for a while. The signature carries
 * who issued it (partner, roles, locations), the month and the expiry, signed with HMAC-SHA256; the
 * report is then built for that caller, as if they had asked with their token.
 *
 * The key: derived from the HS256 secret when tokens are signed with one (links outlive restarts);
 * under PI_JWT_PUBLIC_KEY the server holds no secret, so each process draws its own key and its
 * links end with it.
 */
export const LINK_MAX_HOURS = 24 * 7;
export const LINK_DEFAULT_HOURS = 24;

interface LinkPayload {
  /** partner, roles, locations */
  p: string;
  r: PartnerRole[];
  l: string[] | null;
  /** report month YYYY-MM */
  m: string;
  /** expiry, Unix seconds */
  e: number;
}

const keys = new WeakMap<AuthConfig, Buffer>();

function keyOf(auth: AuthConfig): Buffer {
  let key = keys.get(auth);
  if (!key) {
    key = auth.signKey ? createHmac('sha256', auth.signKey).update('partner-insights executive report links').digest() : randomBytes(32);
    keys.set(auth, key);
  }
  return key;
}

const mac = (auth: AuthConfig, payload: string) => createHmac('sha256', keyOf(auth)).update(payload).digest();

/** The `sig` of a link for `caller` to the report of `month` (YYYY-MM), valid until `expiresAt`. */
export function signReportLink(auth: AuthConfig, caller: Caller, month: string, expiresAt: Date): string {
  const payload: LinkPayload = { p: caller.partnerId, r: [...caller.roles], l: caller.locations, m: month, e: Math.floor(expiresAt.getTime() / 1000) };
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${encoded}.${mac(auth, encoded).toString('base64url')}`;
}

/** The caller a link was issued for; AuthError (401) when it is not this server's, was altered, is for another month or has expired. */
export function verifyReportLink(auth: AuthConfig, sig: string, month: string | undefined, now = new Date()): Caller {
  const [encoded, signature, extra] = sig.split('.');
  if (!encoded || !signature || extra !== undefined) throw new AuthError('the link is not a report link (its sig is not <payload>.<signature>): ask for a new one');
  const expected = mac(auth, encoded);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AuthError('the link was not issued by this server or was altered (or the server restarted under PI_JWT_PUBLIC_KEY): ask for a new one');
  }
  const payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as LinkPayload;
  if (payload.m !== month?.trim()) throw new AuthError(`the link is for the report of ${payload.m}, not ${month ?? 'no month'}: open it as it was given`);
  if (payload.e * 1000 <= now.getTime()) throw new AuthError(`the link expired at ${new Date(payload.e * 1000).toISOString()}: ask for a new one`);
  const roles = payload.r.filter((r) => (PARTNER_ROLES as readonly string[]).includes(r));
  return { partnerId: payload.p, roles, locations: payload.l, subject: 'report link' };
}
