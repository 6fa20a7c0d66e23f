import type { CsvRow } from './csv';
import { addDays, daysBetween } from '../../core/dates';
import type { Partner, Timeline } from './model';
import type { Rng } from './random';

/** Competency assessments (the Trainings report's "AOS: IoT 3"-style entries). */
export const ASSESSMENTS: Record<string, string> = {
  'AOS-CBA': 'AOS: Cloud Business Applications',
  'AOS-IOT': 'AOS: IoT',
  'AOS-MIGRATION': 'AOS: Migration Advanced Specialization',
  'AOS-SAP': 'AOS: Advanced Specialization - SAP on Azure',
  'AOS-SECURITY': 'AOS: Threat Protection',
};

/** Microsoft Learn learning paths and their modules (module completions, then the path's). */
export const LEARNING_PATHS: { code: string; name: string; modules: [string, string][] }[] = [
  {
    code: 'LP-AZ900-CONCEPTS', name: 'Microsoft Azure Fundamentals: Describe cloud concepts',
    modules: [['M-CLOUD-COMPUTING', 'Describe cloud computing'], ['M-CLOUD-BENEFITS', 'Describe the benefits of using cloud services'], ['M-CLOUD-SERVICE-TYPES', 'Describe cloud service types']],
  },
  {
    code: 'LP-D365-SALES', name: 'Get started with Dynamics 365 Sales',
    modules: [['M-D365-SALES-INTRO', 'Introduction to Dynamics 365 Sales'], ['M-D365-LEADS', 'Manage leads with Dynamics 365 Sales'], ['M-D365-OPPORTUNITIES', 'Manage opportunities with Dynamics 365 Sales']],
  },
  {
    code: 'LP-M365-FUNDAMENTALS', name: 'Microsoft 365 Fundamentals: Describe Microsoft 365 apps and services',
    modules: [['M-M365-PRODUCTIVITY', 'Describe productivity solutions of Microsoft 365'], ['M-M365-TEAMS', 'Describe collaboration solutions of Microsoft 365'], ['M-M365-ENDPOINT', 'Describe endpoint modernization, management concepts, and deployment options']],
  },
  {
    code: 'LP-POWER-PLATFORM', name: 'Microsoft Power Platform Fundamentals',
    modules: [['M-PP-BUSINESS-VALUE', 'Describe the business value of Microsoft Power Platform'], ['M-PP-DATAVERSE', 'Describe the core components of Microsoft Power Platform'], ['M-PP-POWER-APPS', 'Describe the business value of Power Apps']],
  },
];

interface Individual {
  mpnId: string;
  id: string;
  name: string;
  email: string;
}

/** Each individual once, in the order the certification rows list them. */
function individualsOf(certificationRows: readonly CsvRow[]): Individual[] {
  const seen = new Map<string, Individual>();
  for (const r of certificationRows) {
    const id = String(r.IndividualId);
    if (!seen.has(id)) seen.set(id, { mpnId: String(r.MpnId), id, name: String(r.IndividualName), email: String(r.Email) });
  }
  return [...seen.values()];
}

/**
 * Assessments and Microsoft Learn completions of the individuals certificationRows wrote, drawn from
 * their own rng (a fork) so that the other files do not move: about 1 in 5 individuals took one or two
 * competency assessments; 70 % completed Microsoft Learn modules, and a learning path once all its
 * modules are done. Dates fall in the two years before the as-of date, most of them recent.
 */
export function assessmentAndLearnRows(rng: Rng, partner: Partner, timeline: Timeline, certificationRows: readonly CsvRow[]): CsvRow[] {
  const rows: CsvRow[] = [];
  const span = Math.max(1, daysBetween(addDays(timeline.asOf, -730), timeline.asOf));
  // sqrt: later days more likely (training activity grows).
  const day = () => addDays(timeline.asOf, -Math.floor((1 - Math.sqrt(rng.next())) * span));
  for (const person of individualsOf(certificationRows)) {
    const row = (type: string, code: string, name: string, date: string): CsvRow => ({
      PartnerId: partner.id, MpnId: person.mpnId, IndividualId: person.id, IndividualName: person.name, Email: person.email,
      CredentialType: type, CredentialCode: code, CredentialName: name, AchievedDate: date,
    });
    if (rng.chance(0.2)) {
      const codes = Object.keys(ASSESSMENTS);
      const first = rng.pick(codes);
      rows.push(row('Assessment', first, ASSESSMENTS[first], day()));
      const second = rng.pick(codes);
      if (second !== first && rng.chance(0.4)) rows.push(row('Assessment', second, ASSESSMENTS[second], day()));
    }
    if (rng.chance(0.7)) {
      for (const path of LEARNING_PATHS) {
        if (!rng.chance(0.45)) continue;
        let date = day();
        let done = 0;
        for (const [code, name] of path.modules) {
          if (date > timeline.asOf || !rng.chance(0.85)) break;
          rows.push(row('Module', code, name, date));
          done++;
          date = addDays(date, rng.int(0, 21));
        }
        const last = rows[rows.length - 1];
        if (done === path.modules.length) rows.push(row('Learning path', path.code, path.name, String(last.AchievedDate)));
      }
    }
  }
  return rows;
}
