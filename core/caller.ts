import type { PartnerRole } from './vocabulary';

/** Who is calling, from their verified token (gateway/auth.ts, or an API key). */
export interface Caller {
  /** The tenant: the partner global account id. Every query is scoped to it. */
  partnerId: string;
  /** Roles exactly as the Partner Center documentation names them (PARTNER_ROLES). */
  roles: PartnerRole[];
  /** Location MPN IDs the caller is limited to, or null for the entire organization. */
  locations: string[] | null;
  /** The token's subject (user id), for logs. */
  subject?: string;
}
