import { REFERRAL_RESPONSE_DAYS } from '../../core/vocabulary';
import { currencyOfCountry } from './catalog';
import type { CsvRow } from './csv';
import { addDays, daysBetween } from '../../core/dates';
import { timestamp } from './dates';
import type { FxTable } from './fx';
import type { Customer, Partner, Timeline } from './model';
import { city, companyName, personName, phone, slugify, companyDomain } from './names';
import type { Rng } from './random';

/** Solutions a partner publishes in its business profile; referrals and deal registrations name them. */
const SOLUTIONS: Record<string, [name: string, medianDealUsd: number][]> = {
  contoso: [
    ['Contoso Modern Workplace for Microsoft 365', 40_000],
    ['Contoso Dynamics 365 Sales Accelerator', 120_000],
    ['Contoso Customer Service in a Box', 90_000],
    ['Contoso Azure Migration Factory', 150_000],
    ['Contoso Secure Remote Work', 30_000],
    ['Contoso Finance and Operations Quickstart', 250_000],
  ],
  fabrikam: [
    ['Fabrikam Cloud Desktop', 35_000],
    ['Fabrikam Field Service Mobile', 110_000],
    ['Fabrikam Azure Landing Zone', 80_000],
    ['Fabrikam Supply Chain on Dynamics 365', 220_000],
    ['Fabrikam Power BI Insights', 25_000],
  ],
};

const TIME_FRAMES = ['Less than 1 month', '1-3 months', '3-6 months', '6-12 months', 'More than 12 months'];
const DECLINE_REASONS = ['Not a fit for our solutions', 'Customer location not served', 'Deal size too small', 'No capacity at the moment', 'Duplicate of an existing engagement'];

export interface ReferralFiles {
  referrals: CsvRow[];
  contacts: CsvRow[];
  registrations: CsvRow[];
}

/**
 * Referrals through their stages with the documented timings: New in the inbox; accepted (Active)
 * or declined within days; archived as Expired when nobody answered within 14 days; Active ones
 * closed Won or Lost weeks to months later. Some recent ones are still New or Active. About half the
 * Won referrals are registered as deals, plus a few deals registered without a referral.
 */
export function buildReferrals(rng: Rng, partner: Partner, customers: Customer[], timeline: Timeline, fx: FxTable, count: number): ReferralFiles {
  const referrals: CsvRow[] = [];
  const contacts: CsvRow[] = [];
  const registrations: CsvRow[] = [];
  const solutions = SOLUTIONS[partner.slug] ?? SOLUTIONS.contoso;
  const span = daysBetween(timeline.start, timeline.asOf);
  const asOfEnd = timestamp(timeline.asOf, 23, 59, 59);
  const people = partner.users.filter((u) => u.roles.some((r) => r === 'Sales agent' || r === 'Referrals admin'));
  const countries = [...new Set(partner.locations.map((l) => l.country))];
  const seconds = (hours: number) => Math.round(hours * 3600);
  const shift = (at: string, hours: number) => {
    const ms = Date.parse(`${at.replace(' ', 'T')}Z`) + seconds(hours) * 1000;
    return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  };

  for (let i = 0; i < count; i++) {
    // Referral volume grows over the history.
    const created = timestamp(addDays(timeline.start, Math.floor(Math.sqrt(rng.next()) * span)), rng.int(6, 20), rng.int(0, 59), rng.int(0, 59));
    const existing = rng.chance(0.3) ? rng.pick(customers) : undefined;
    const country = existing?.country ?? rng.pick(countries);
    const location = partner.locations.find((l) => l.country === country) ?? partner.locations[0];
    const customerName = existing?.name ?? companyName(rng, country);
    const [solution, median] = rng.pick(solutions);
    const currency = rng.chance(0.8) ? currencyOfCountry(country) : 'USD';
    const dealUsd = rng.logInt(median, 0.7, 2_000, 5_000_000);
    const usdPerUnit = Number(fx.rate(currency, created.slice(0, 10)));
    const dealValue = Math.round(dealUsd * usdPerUnit / 100) * 100;
    const row: CsvRow = {
      PartnerId: partner.id,
      ReferralId: rng.guid(),
      MpnId: location.mpnId,
      Direction: rng.chance(0.8) ? 'Incoming' : 'Outgoing',
      Source: rng.weighted([['Direct', 3], ['Marketing qualified', 3], ['Sales qualified', 2], ['Unqualified', 2]] as const),
      Type: rng.chance(0.55) ? 'Co-sell' : 'Independent',
      Solution: solution,
      CustomerId: existing?.id,
      CustomerName: customerName,
      CustomerCountry: country,
      CreatedDateTime: created,
    };
    // How the partner answered: hours to accept or decline, or never.
    const answer = rng.weighted([['accept', 62], ['decline', 15], ['ignore', 23]] as const);
    const responseHours = rng.chance(0.5) ? 1 + rng.next() * 23 : 24 + rng.logInt(60, 0.7, 1, 300);
    const respondedAt = shift(created, responseHours);
    const expiresAt = shift(created, REFERRAL_RESPONSE_DAYS * 24);
    const { first, last } = personName(rng, country);
    const domain = existing?.domain ?? companyDomain(rng, customerName, country);
    contacts.push({
      PartnerId: partner.id,
      ReferralId: row.ReferralId,
      Side: 'Customer',
      FirstName: first,
      LastName: last,
      Email: `${slugify(first)}.${slugify(last)}@${domain}`,
      Phone: phone(rng, country),
    });
    if (answer === 'ignore' || responseHours >= REFERRAL_RESPONSE_DAYS * 24) {
      if (expiresAt <= asOfEnd) {
        row.Status = 'Expired';
        row.ExpiredDateTime = expiresAt;
      } else row.Status = 'New';
      referrals.push(row);
      continue;
    }
    if (respondedAt > asOfEnd) {
      row.Status = 'New';
      referrals.push(row);
      continue;
    }
    if (answer === 'decline') {
      row.Status = 'Declined';
      row.DeclinedDateTime = respondedAt;
      row.DeclineReason = rng.pick(DECLINE_REASONS);
      referrals.push(row);
      continue;
    }
    row.Status = 'Active';
    row.AcceptedDateTime = respondedAt;
    row.EngagementName = `${customerName} - ${solution.replace(/^(Contoso|Fabrikam) /, '')}`;
    row.DealValue = dealValue.toFixed(2);
    row.Currency = currency;
    row.DealValueUsd = fx.toUsd(dealValue, currency, created.slice(0, 10)).toFixed(2);
    row.PurchaseTimeFrame = rng.pick(TIME_FRAMES);
    row.CrmId = rng.chance(0.7) ? `OPP-${rng.digits(6)}` : '';
    row.Notes = rng.pick(['Customer wants a proof of concept first', 'Budget approved for this fiscal year', 'Replacing an on-premises system', 'Evaluating two partners', '']);
    for (let k = rng.int(1, 2); k > 0 && people.length; k--) {
      const person = rng.pick(people);
      const [pf, ...pl] = person.displayName.split(' ');
      if (contacts.some((c) => c.ReferralId === row.ReferralId && c.Email === person.email)) continue;
      contacts.push({ PartnerId: partner.id, ReferralId: row.ReferralId, Side: 'Partner', FirstName: pf, LastName: pl.join(' '), Email: person.email, Phone: phone(rng, location.country) });
    }
    const closedAt = shift(respondedAt, 24 * rng.int(14, 150) + rng.int(0, 10));
    if (closedAt <= asOfEnd && rng.chance(0.85)) {
      const won = rng.chance(0.45);
      row.Status = won ? 'Won' : 'Lost';
      row[won ? 'WonDateTime' : 'LostDateTime'] = closedAt;
      if (won && rng.chance(0.55)) registrations.push(registration(rng, partner, row, closedAt, dealValue, currency, country, customerName, asOfEnd));
    }
    referrals.push(row);
  }
  // Deals won without a referral are registered too.
  for (let i = 0; i < Math.max(2, Math.round(count / 25)); i++) {
    const country = rng.pick(countries);
    const closedAt = timestamp(addDays(timeline.start, rng.int(0, span - 20)), rng.int(8, 18), rng.int(0, 59));
    const currency = currencyOfCountry(country);
    const value = Math.round(rng.logInt(80_000, 0.6, 5_000, 2_000_000) / 100) * 100;
    registrations.push(registration(rng, partner, undefined, closedAt, value, currency, country, companyName(rng, country), asOfEnd));
  }
  return { referrals, contacts, registrations };
}

function registration(
  rng: Rng,
  partner: Partner,
  referral: CsvRow | undefined,
  wonAt: string,
  value: number,
  currency: string,
  country: string,
  companyName: string,
  asOfEnd: string,
): CsvRow {
  const [cityName, state] = city(rng, country);
  const contact = rng.pick(partner.users);
  const [first, ...last] = contact.displayName.split(' ');
  const signed = addDays(wonAt.slice(0, 10), -rng.int(0, 5));
  const start = addDays(wonAt.slice(0, 10), rng.int(0, 30));
  const registeredAt = timestamp(addDays(wonAt.slice(0, 10), rng.int(1, 20)), rng.int(8, 18), rng.int(0, 59));
  const status = rng.weighted([['Approved', 50], ['In progress', 20], ['Incomplete', 10], ['Update required', 10], ['Declined', 10]] as const);
  const incomplete = status === 'Incomplete' || registeredAt > asOfEnd;
  return {
    PartnerId: partner.id,
    RegistrationId: rng.guid(),
    ReferralId: referral?.ReferralId,
    CompanyName: companyName,
    Country: country,
    City: cityName,
    StateProvince: state,
    Solution: (referral?.Solution as string | undefined) ?? rng.pick((SOLUTIONS[partner.slug] ?? SOLUTIONS.contoso).map(([s]) => s)),
    ContractType: rng.chance(0.8) ? 'New' : 'Renewal',
    TotalContractValue: value.toFixed(2),
    SolutionValue: (Math.round(value * (0.4 + 0.5 * rng.next()) / 100) * 100).toFixed(2),
    Currency: currency,
    DeployedOn: rng.chance(0.7) ? 'Azure' : 'Other',
    DeploymentTenant: rng.chance(0.85) ? 'Customer tenant' : 'Partner tenant',
    ContractStartDate: start,
    ContractEndDate: rng.chance(0.7) ? addDays(start, 365 * rng.int(1, 3) - 1) : '',
    ContractSignedDate: signed,
    ContactFirstName: first,
    ContactLastName: last.join(' '),
    ContactPhone: phone(rng, partner.country),
    ContactEmail: contact.email,
    Status: incomplete ? 'Incomplete' : status,
    RegisteredDateTime: incomplete ? '' : registeredAt,
  };
}
