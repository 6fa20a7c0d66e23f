import { PARTNER_ROLES } from '../../core/vocabulary';
import type { CsvRow } from './csv';
import { addDays } from '../../core/dates';
import type { Location, Partner, PartnerUser, Reseller, Timeline } from './model';
import { personName, slugify } from './names';
import type { Rng } from './random';

/** Microsoft Partner Network market categories of the countries the demo uses. */
export const DEVELOPED_COUNTRIES = ['US', 'GB', 'DE', 'FR', 'NL', 'AU'];
export const marketOf = (country: string): 'Developed' | 'Developing' =>
  DEVELOPED_COUNTRIES.includes(country) ? 'Developed' : 'Developing';

interface PartnerTemplate {
  name: string;
  slug: string;
  type: Partner['type'];
  country: string;
  domain: string;
  billingDay: number;
  locations: [name: string, country: string][];
  resellers: [name: string, country: string, status: Reseller['status']][];
}

const TEMPLATES: PartnerTemplate[] = [
  {
    name: 'Contoso Cloud Solutions Inc.',
    slug: 'contoso',
    type: 'Direct bill partner',
    country: 'US',
    domain: 'contosocloud.com',
    billingDay: 1,
    locations: [
      ['Contoso Cloud Solutions, US, Seattle', 'US'],
      ['Contoso Cloud Solutions UK Ltd, GB, London', 'GB'],
      ['Contoso Cloud Solutions GmbH, DE, München', 'DE'],
      ['Contoso Cloud Solutions India Pvt. Ltd., IN, Bengaluru', 'IN'],
      ['Contoso Cloud Solutions Brasil Ltda., BR, São Paulo', 'BR'],
    ],
    resellers: [],
  },
  {
    name: 'Fabrikam Distribution B.V.',
    slug: 'fabrikam',
    type: 'Indirect provider',
    country: 'NL',
    domain: 'fabrikam-distribution.com',
    billingDay: 1,
    locations: [
      ['Fabrikam Distribution, NL, Amsterdam', 'NL'],
      ['Fabrikam Distribution France SAS, FR, Paris', 'FR'],
      ['Fabrikam Distribution Australia Pty Ltd, AU, Sydney', 'AU'],
      ['Fabrikam Distribution South Africa (Pty) Ltd, ZA, Johannesburg', 'ZA'],
      ['Fabrikam Distribución México S.A. de C.V., MX, Ciudad de México', 'MX'],
      ['PT Fabrikam Distribusi Indonesia, ID, Jakarta', 'ID'],
    ],
    resellers: [
      ['Adatum IT Services B.V.', 'NL', 'Active'],
      ['Tailspin Consulting SAS', 'FR', 'Active'],
      ['Wingtip Cloud Pty Ltd', 'AU', 'Active'],
      ['Woodgrove Systems (Pty) Ltd', 'ZA', 'Active'],
      ['Litware Soluciones S.A. de C.V.', 'MX', 'Active'],
      ['PT Proseware Teknologi', 'ID', 'Active'],
      ['Lamna Solutions GmbH', 'DE', 'Suspended'],
      ['Trey Research Ltd', 'GB', 'Terminated'],
    ],
  },
];

/** Roles given to users, each line one person: roles, and whether they are scoped to one location. */
const USER_PROFILES: [roles: (typeof PARTNER_ROLES)[number][], scoped: boolean][] = [
  [['Global admin'], false],
  [['Global admin', 'Account admin'], false],
  [['Billing admin'], false],
  [['Billing admin', 'Executive report viewer'], false],
  [['Admin agent'], false],
  [['Admin agent', 'Helpdesk agent'], false],
  [['Admin agent'], true],
  [['Sales agent'], false],
  [['Sales agent', 'Referrals admin'], true],
  [['Sales agent'], true],
  [['Helpdesk agent'], true],
  [['User admin'], false],
  [['MPN partner admin', 'Executive report viewer'], false],
  [['Referrals admin', 'Business profile admin'], false],
  [['Incentives admin'], false],
  [['Incentives user'], true],
  [['Executive report viewer'], false],
  [['Executive report viewer'], true],
  [['Report viewer'], false],
  [['Report viewer'], true],
  [['Report viewer'], true],
];

export function buildPartners(rng: Rng, timeline: Timeline): Partner[] {
  return TEMPLATES.map((t) => {
    const r = rng.fork(`partner:${t.slug}`);
    const locations: Location[] = t.locations.map(([name, country], i) => ({
      mpnId: r.digits(7),
      name,
      country,
      market: marketOf(country),
      isHeadquarters: i === 0,
    }));
    const users: PartnerUser[] = [];
    const seen = new Set<string>();
    for (const [roles, scoped] of USER_PROFILES) {
      const location = scoped ? r.pick(locations.slice(1)) : locations[0];
      let { first, last } = personName(r, location.country);
      let email = `${slugify(first)}.${slugify(last)}@${t.domain}`;
      for (let n = 2; seen.has(email); n++) email = `${slugify(first)}.${slugify(last)}${n}@${t.domain}`;
      seen.add(email);
      const extra = scoped && r.chance(0.3) ? r.pick(locations.filter((l) => l !== location)) : undefined;
      users.push({
        userId: r.guid(),
        email,
        displayName: `${first} ${last}`,
        roles: [...roles],
        locationMpnIds: scoped ? [location.mpnId, ...(extra ? [extra.mpnId] : [])] : [],
      });
    }
    const resellers: Reseller[] = t.resellers.map(([name, country, status], i) => {
      const mpnId = r.digits(7);
      const days = r.int(120, 2400);
      // The last reseller joined within the last 9 months of data (the reseller analytics' "New
      // resellers"), the others years before; the same draws either way, so nothing else moves.
      const startDate = i === t.resellers.length - 1 ? addDays(timeline.asOf, -(30 + (days % 240))) : addDays(timeline.start, -days);
      return { mpnId, name, country, status, startDate };
    });
    return {
      id: r.guid(),
      name: t.name,
      slug: t.slug,
      globalMpnId: r.digits(7),
      type: t.type,
      country: t.country,
      domain: t.domain,
      billingDay: t.billingDay,
      locations,
      users,
      resellers,
    };
  });
}

export function partnerProfileRows(p: Partner): CsvRow[] {
  return [{ PartnerId: p.id, PartnerName: p.name, GlobalMpnId: p.globalMpnId, PartnerType: p.type, Country: p.country }];
}

export function locationRows(p: Partner): CsvRow[] {
  return p.locations.map((l) => ({
    PartnerId: p.id,
    MpnId: l.mpnId,
    LocationName: l.name,
    Country: l.country,
    Market: l.market,
    IsHeadquarters: l.isHeadquarters,
  }));
}

export function userRows(p: Partner): CsvRow[] {
  return p.users.map((u) => ({
    PartnerId: p.id,
    UserId: u.userId,
    Email: u.email,
    DisplayName: u.displayName,
    Roles: u.roles.join('|'),
    LocationMpnIds: u.locationMpnIds.join('|'),
    MfaRegistered: mfaRegistered(u.userId),
  }));
}

/**
 * About one user in seven has not registered for MFA (the security requirements' gap a partner
 * closes). Taken from the user id, not from the generator's random sequence, so that adding it
 * changed no other generated value.
 */
function mfaRegistered(userId: string): boolean {
  return parseInt(userId.replace(/-/g, '').slice(-4), 16) % 7 !== 0;
}

export function resellerRows(p: Partner): CsvRow[] {
  return p.resellers.map((r) => ({
    PartnerId: p.id,
    ResellerMpnId: r.mpnId,
    ResellerName: r.name,
    Country: r.country,
    Status: r.status,
    RelationshipStartDate: r.startDate,
  }));
}

/** Users who act on customers (agents), for activity logs and subscription events. */
export function agents(p: Partner): PartnerUser[] {
  return p.users.filter((u) => u.roles.some((r) => r === 'Admin agent' || r === 'Sales agent' || r === 'Global admin'));
}
