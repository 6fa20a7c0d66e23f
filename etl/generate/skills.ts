import type { CsvRow } from './csv';
import { addDays, addMonths, daysBetween } from '../../core/dates';
import type { Partner, Timeline } from './model';
import { personName, slugify } from './names';
import type { Rng } from './random';

/** Exams and certifications: the Dynamics 365 ones PCI counts, and the usual Azure / Microsoft 365 ones. */
export const EXAMS: Record<string, string> = {
  'MB-200': 'Microsoft Power Platform + Dynamics 365 Core',
  'MB-210': 'Microsoft Dynamics 365 Sales',
  'MB-220': 'Microsoft Dynamics 365 Marketing',
  'MB-230': 'Microsoft Dynamics 365 Customer Service',
  'MB-240': 'Microsoft Dynamics 365 Field Service',
  'MB-300': 'Microsoft Dynamics 365: Core Finance and Operations',
  'MB-310': 'Microsoft Dynamics 365 Finance',
  'MB-320': 'Microsoft Dynamics 365 Supply Chain Management, Manufacturing',
  'MB-330': 'Microsoft Dynamics 365 Supply Chain Management',
  'MB-400': 'Microsoft Power Apps + Dynamics 365 Developer',
  'MB-500': 'Microsoft Dynamics 365: Finance and Operations Apps Developer',
  'MB6-894': 'Development, Extensions and Deployment for Microsoft Dynamics 365 for Finance and Operations',
  'MB6-897': 'Microsoft Dynamics 365 for Retail',
  'MB6-898': 'Microsoft Dynamics 365 for Talent',
  'MB2-716': 'Microsoft Dynamics 365 Customization and Configuration',
  'AZ-900': 'Microsoft Azure Fundamentals',
  'AZ-104': 'Microsoft Azure Administrator',
  'AZ-305': 'Designing Microsoft Azure Infrastructure Solutions',
  'MS-900': 'Microsoft 365 Fundamentals',
  'MS-102': 'Microsoft 365 Administrator',
  'SC-300': 'Microsoft Identity and Access Administrator',
  'PL-300': 'Microsoft Power BI Data Analyst',
};

export const CERTIFICATIONS: Record<string, string> = {
  'CE-FUNCTIONAL': 'Microsoft Certified: Dynamics 365 Customer Engagement Functional Consultant Associate',
  'FO-FUNCTIONAL': 'Microsoft Certified: Dynamics 365 Finance and Operations Functional Consultant Associate',
  'CE-DEVELOPER': 'Microsoft Certified: Dynamics 365 Customer Engagement Developer Associate',
  'FO-DEVELOPER': 'Microsoft Certified: Dynamics 365 Finance and Operations Apps Developer Associate',
  'AZURE-ADMIN': 'Microsoft Certified: Azure Administrator Associate',
  'M365-ADMIN': 'Microsoft 365 Certified: Administrator Expert',
};

type Track = 'ce-functional' | 'fo-functional' | 'ce-developer' | 'fo-developer' | 'azure' | 'm365';

/**
 * Individuals per location with the exams they passed and the certifications those earn:
 * CE functional consultants pass MB-200 and one of MB-210/220/230/240 (or MB6-898), F&O ones MB-300
 * and one of MB-310/320/330 (or MB6-897/898); developers add MB-400 (or MB2-716) to MB-200, or MB-500
 * (or MB6-894) to MB-300. Most passed before the PCI baseline, and the team keeps growing after it.
 * Role-based certifications last a year; most are renewed.
 */
export function certificationRows(rng: Rng, partner: Partner, timeline: Timeline, scale: number): CsvRow[] {
  const rows: CsvRow[] = [];
  for (const location of partner.locations) {
    const headcount = Math.max(4, Math.round((location.isHeadquarters ? 40 : location.market === 'Developed' ? 16 : 12) * scale));
    for (let i = 0; i < headcount; i++) {
      const { first, last } = personName(rng, location.country);
      const individualId = rng.guid();
      const email = `${slugify(first)}.${slugify(last)}${rng.int(1, 99)}@${partner.domain}`;
      const track = rng.weighted<Track>([
        ['ce-functional', 30],
        ['fo-functional', 16],
        ['ce-developer', 10],
        ['fo-developer', 6],
        ['azure', 24],
        ['m365', 14],
      ]);
      // 65% qualified before the baseline; the rest after it, up to the as-of date.
      const beforeBaseline = rng.chance(0.65);
      const achieved = beforeBaseline
        ? addDays(timeline.pciBaseline, -rng.int(20, 5 * 365))
        : addDays(timeline.pciBaseline, rng.int(0, Math.max(0, daysBetween(timeline.pciBaseline, timeline.asOf))));
      const exam = (code: string, date: string) =>
        rows.push({ PartnerId: partner.id, MpnId: location.mpnId, IndividualId: individualId, IndividualName: `${first} ${last}`, Email: email, CredentialType: 'Exam', CredentialCode: code, CredentialName: EXAMS[code], AchievedDate: date });
      const cert = (code: string, date: string) => {
        // Renewed every year, except when someone let it lapse.
        let expiry = addMonths(date, 12);
        if (rng.chance(0.9)) while (expiry <= timeline.asOf) expiry = addMonths(expiry, 12);
        rows.push({ PartnerId: partner.id, MpnId: location.mpnId, IndividualId: individualId, IndividualName: `${first} ${last}`, Email: email, CredentialType: 'Certification', CredentialCode: code, CredentialName: CERTIFICATIONS[code], AchievedDate: date, ExpiryDate: expiry });
      };
      const core = addDays(achieved, -rng.int(10, 120));
      switch (track) {
        case 'ce-functional':
          exam('MB-200', core);
          exam(rng.weighted([['MB-210', 4], ['MB-220', 1], ['MB-230', 3], ['MB-240', 2], ['MB6-898', 0.5]] as const), achieved);
          cert('CE-FUNCTIONAL', achieved);
          break;
        case 'fo-functional':
          exam('MB-300', core);
          exam(rng.weighted([['MB-310', 4], ['MB-320', 1.5], ['MB-330', 2], ['MB6-897', 0.4], ['MB6-898', 0.3]] as const), achieved);
          cert('FO-FUNCTIONAL', achieved);
          break;
        case 'ce-developer':
          exam('MB-200', core);
          exam(rng.chance(0.85) ? 'MB-400' : 'MB2-716', achieved);
          cert('CE-DEVELOPER', achieved);
          break;
        case 'fo-developer':
          exam('MB-300', core);
          exam(rng.chance(0.85) ? 'MB-500' : 'MB6-894', achieved);
          cert('FO-DEVELOPER', achieved);
          break;
        case 'azure':
          if (rng.chance(0.6)) exam('AZ-900', core);
          exam('AZ-104', achieved);
          cert('AZURE-ADMIN', achieved);
          if (rng.chance(0.25)) {
            const later = addDays(achieved, rng.int(30, 200));
            exam('AZ-305', later < timeline.asOf ? later : achieved);
          }
          break;
        case 'm365':
          exam('MS-900', core);
          exam('MS-102', achieved);
          cert('M365-ADMIN', achieved);
          if (rng.chance(0.3)) exam('SC-300', achieved);
          if (rng.chance(0.2)) exam('PL-300', achieved);
          break;
      }
    }
  }
  return rows;
}
