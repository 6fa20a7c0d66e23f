import type { CsvRow } from './csv';
import { addDays, addMonths, monthStart } from '../../core/dates';
import type { Partner, Timeline } from './model';
import type { Rng } from './random';

/** Competencies by area, as Partner Center names them in the Competencies report (reference line 16729). */
export const COMPETENCIES: Record<string, string> = {
  ApplicationDevelopment: 'App and Infrastructure',
  ApplicationIntegration: 'App and Infrastructure',
  CloudPlatform: 'App and Infrastructure',
  Datacenter: 'App and Infrastructure',
  DevOps: 'App and Infrastructure',
  CloudBusinessApplications: 'Business applications',
  EnterpriseResourcePlanning: 'Business applications',
  ProjectAndPortfolioManagement: 'Business applications',
  DataAnalytics: 'Data and AI',
  DataPlatform: 'Data and AI',
  CloudProductivity: 'Modern workplace',
  CollaborationAndContent: 'Modern workplace',
  Communications: 'Modern workplace',
  EnterpriseMobilityManagement: 'Modern workplace',
  Messaging: 'Modern workplace',
  Security: 'Modern workplace',
  SmallAndMidmarketCloudSolutions: 'Modern workplace',
  WindowsAndDevices: 'Modern workplace',
};

/** A competency of the demo partner: its level and, when it was ever attained, when and whether it lapsed. */
interface DemoCompetency {
  name: string;
  level: 'Silver' | 'Gold';
  stage: 'Started' | 'Qualified' | 'Active';
  atRisk: boolean;
  /** First attainment, then one renewal a year; null: never attained. */
  firstAttained: string | null;
  renewals: number;
  /** The anniversary at which it was not renewed; null: still held (or never attained). */
  lost: string | null;
}

/** What the partner is granted per Gold and per Silver competency it holds, by benefit (yearly allotments). */
const BENEFITS: readonly { category: string; name: string; unit: string; grant: (gold: number, silver: number) => number }[] = [
  { category: 'Cloud services', name: 'Microsoft 365 E3', unit: 'Licenses', grant: (g, s) => 25 * g + 5 * s },
  { category: 'Cloud services', name: 'Dynamics 365 Sales Enterprise', unit: 'Licenses', grant: (g, s) => 10 * g + 5 * s },
  { category: 'Cloud services', name: 'Azure credits', unit: 'USD credit', grant: (g, s) => 4200 * g + 1200 * s },
  { category: 'Software products', name: 'Windows Server Datacenter', unit: 'Licenses', grant: (g, s) => 25 * g + 10 * s },
  { category: 'Software products', name: 'SQL Server Enterprise', unit: 'Licenses', grant: (g, s) => 10 * g + 5 * s },
  { category: 'Software products', name: 'Office Professional Plus', unit: 'Licenses', grant: (g, s) => 25 * g + 10 * s },
  { category: 'Visual Studio subscriptions', name: 'Visual Studio Enterprise', unit: 'Seats', grant: (g, s) => 5 * g + 1 * s },
  { category: 'Visual Studio subscriptions', name: 'Visual Studio Professional', unit: 'Seats', grant: (g, s) => 5 * g + 3 * s },
  // "Partners who attain Silver competency are granted technical support for 15 incidents" (reference line 16785); Gold more.
  { category: 'Technical benefits', name: 'Partner support incidents', unit: 'Incidents', grant: (g, s) => (g > 0 ? 25 : s > 0 ? 15 : 0) },
  { category: 'Technical benefits', name: 'Technical presales and deployment hours', unit: 'Hours', grant: (g, s) => 50 * g + 20 * s },
  { category: 'Go-to-market', name: 'Business Profile Optimization and Referral Management', unit: 'Offers', grant: (g, s) => (g + s > 0 ? 1 : 0) },
  { category: 'Go-to-market', name: 'Customer Immersion Experience', unit: 'Offers', grant: (g) => (g > 0 ? 2 : 0) },
];

/**
 * The partner's competencies: 7 to 12 of the catalogue, about half Active (attained one to five years
 * ago and renewed every anniversary since, some at risk), some Qualified or Started, and some lost at
 * an anniversary and being worked on again (Started).
 */
function buildCompetencies(rng: Rng, timeline: Timeline): DemoCompetency[] {
  const names = rng.sample(Object.keys(COMPETENCIES), rng.int(7, 12));
  return names.map((name) => {
    const level = rng.chance(0.45) ? 'Gold' : 'Silver';
    const kind = rng.weighted([['active', 50], ['qualified', 12], ['started', 25], ['lost', 13]] as const);
    const c: DemoCompetency = { name, level, stage: 'Started', atRisk: false, firstAttained: null, renewals: 0, lost: null };
    if (kind === 'active' || kind === 'lost') {
      c.firstAttained = addDays(timeline.asOf, -rng.int(kind === 'lost' ? 400 : 20, 5 * 365));
      let years = 0;
      while (addMonths(c.firstAttained, 12 * (years + 1)) <= timeline.asOf) years++;
      if (kind === 'active') {
        c.stage = 'Active';
        c.renewals = years;
        c.atRisk = rng.chance(0.3);
      } else {
        c.renewals = rng.int(0, years - 1);
        c.lost = addMonths(c.firstAttained, 12 * (c.renewals + 1));
      }
    } else if (kind === 'qualified') c.stage = 'Qualified';
    return c;
  });
}

const lastAttainment = (c: DemoCompetency) => addMonths(c.firstAttained!, 12 * c.renewals);

function competencyRows(partner: Partner, timeline: Timeline, competencies: DemoCompetency[]): CsvRow[] {
  return competencies.map((c) => {
    const attained = c.stage === 'Active' ? lastAttainment(c) : '';
    return {
      PartnerId: partner.id,
      CompetencyName: c.name,
      CompetencyArea: COMPETENCIES[c.name],
      CompetencyLevel: c.level,
      CompetencyStage: c.stage,
      AtRisk: c.atRisk ? 'true' : 'false',
      AttainmentDate: attained,
      AnniversaryDate: attained ? addMonths(attained, 12) : '',
      StatusDate: timeline.asOf,
    };
  });
}

function historyRows(partner: Partner, competencies: DemoCompetency[]): CsvRow[] {
  const rows: CsvRow[] = [];
  for (const c of competencies) {
    if (!c.firstAttained) continue;
    const row = (date: string, action: string) => rows.push({ PartnerId: partner.id, CompetencyName: c.name, CompetencyLevel: c.level, AttainmentDate: date, Action: action });
    row(c.firstAttained, 'Attained');
    for (let i = 1; i <= c.renewals; i++) row(addMonths(c.firstAttained, 12 * i), 'Renewed');
    if (c.lost) row(c.lost, 'Lost');
  }
  return rows.sort((a, b) => String(a.AttainmentDate).localeCompare(String(b.AttainmentDate)));
}

/** Held on a day: attained on or before it and not lost by then. */
function heldOn(c: DemoCompetency, day: string): boolean {
  return c.firstAttained !== null && c.firstAttained <= day && (c.lost === null || c.lost > day);
}

/**
 * Benefits per month of the history: granted from the competencies held at the month's end, for
 * the membership year that started at the last anniversary (activation) and ends the day before
 * the next (expiry); used grows through the year at a pace of its own per benefit, up to the grant.
 */
function benefitRows(rng: Rng, partner: Partner, timeline: Timeline, competencies: DemoCompetency[]): CsvRow[] {
  // The membership anniversary falls 1 to 3 months after the as-of date, so some benefits expire soon.
  const nextAnniversary = addDays(addMonths(monthStart(timeline.asOf), rng.int(1, 3)), rng.int(0, 27));
  const pace = BENEFITS.map(() => 0.2 + rng.next());
  const rows: CsvRow[] = [];
  for (let month = monthStart(timeline.start); month <= timeline.asOf; month = addMonths(month, 1)) {
    const monthEnd = addDays(addMonths(month, 1), -1);
    const day = monthEnd < timeline.asOf ? monthEnd : timeline.asOf;
    const held = competencies.filter((c) => heldOn(c, day));
    const gold = held.filter((c) => c.level === 'Gold').length;
    const silver = held.length - gold;
    let activation = addMonths(nextAnniversary, -12);
    while (activation > day) activation = addMonths(activation, -12);
    const monthsIn = Math.round((Date.parse(day) - Date.parse(activation)) / (30.44 * 86_400_000)) + 1;
    BENEFITS.forEach((b, i) => {
      const granted = b.grant(gold, silver);
      if (granted === 0) return;
      const used = Math.min(granted, Math.round((granted * pace[i] * Math.min(12, monthsIn)) / 12));
      rows.push({
        PartnerId: partner.id,
        Month: month,
        BenefitCategory: b.category,
        BenefitName: b.name,
        Unit: b.unit,
        QuantityGranted: String(granted),
        QuantityUsed: String(used),
        ActivationDate: activation,
        ExpiryDate: addDays(addMonths(activation, 12), -1),
      });
    });
  }
  return rows;
}

/** The three program files of a partner, from one stream of its own (the other files do not move). */
export function programFiles(rng: Rng, partner: Partner, timeline: Timeline): { competencies: CsvRow[]; history: CsvRow[]; benefits: CsvRow[] } {
  const competencies = buildCompetencies(rng.fork('competencies'), timeline);
  return {
    competencies: competencyRows(partner, timeline, competencies),
    history: historyRows(partner, competencies),
    benefits: benefitRows(rng.fork('benefits'), partner, timeline, competencies),
  };
}
