import { join } from 'node:path';
import { addMonths } from '../../core/dates';
import type { GeneratedSummary } from '../../etl/generate';
import { readCsv } from '../insights/model';
import { generateInto, removeDir } from './support';

/**
 * The demo's program files (competencies, competency history, benefits) follow the Competencies and
 * Benefits reports' rules (reference lines 16663, 16751): an Active competency was attained or
 * renewed within the last year and its anniversary is one year after; only Active ones are at risk;
 * the history ends in the status (Active: attained or renewed last; lost ones not Active); a benefit
 * never has more used than granted, and its year runs from activation to the day before the next.
 */
describe('demo program files', () => {
  let dir: string;
  let summary: GeneratedSummary;
  beforeAll(async () => {
    ({ dir, summary } = await generateInto('programs', { seed: 7, customers: 12, usageRows: 0 }));
  }, 120_000);
  afterAll(() => removeDir(dir));

  const filesOf = (slug: string) => ({
    status: readCsv(join(dir, slug, 'competencies.csv')),
    history: readCsv(join(dir, slug, 'competency-history.csv')),
    benefits: readCsv(join(dir, slug, 'benefits.csv')),
  });

  it('competencies: Active ones attained within the year with the anniversary a year later, at risk only when Active, history ending in the status', () => {
    for (const partner of summary.partners) {
      const { status, history } = filesOf(partner.slug);
      expect(status.length).toBeGreaterThanOrEqual(7);
      expect(new Set(status.map((r) => r.CompetencyName)).size).toBe(status.length);
      for (const c of status) {
        const own = history.filter((h) => h.CompetencyName === c.CompetencyName).sort((a, b) => a.AttainmentDate.localeCompare(b.AttainmentDate));
        if (c.CompetencyStage === 'Active') {
          expect(c.AttainmentDate <= summary.asOf && addMonths(c.AttainmentDate, 12) > summary.asOf).toBe(true);
          expect(c.AnniversaryDate).toBe(addMonths(c.AttainmentDate, 12));
          expect(own.at(-1)).toMatchObject({ AttainmentDate: c.AttainmentDate, Action: own.length === 1 ? 'Attained' : 'Renewed' });
        } else {
          expect([c.AtRisk, c.AttainmentDate, c.AnniversaryDate]).toEqual(['false', '', '']);
          if (own.length) expect(own.at(-1)!.Action).toBe('Lost');
        }
        if (own.length) expect(own[0].Action).toBe('Attained');
      }
    }
  });

  it('benefits: used within granted, one row per benefit and month, the year from activation to the day before the next anniversary', () => {
    for (const partner of summary.partners) {
      const { benefits } = filesOf(partner.slug);
      expect(benefits.length).toBeGreaterThan(0);
      expect(new Set(benefits.map((b) => `${b.Month}|${b.BenefitName}`)).size).toBe(benefits.length);
      for (const b of benefits) {
        expect(Number(b.QuantityUsed)).toBeGreaterThanOrEqual(0);
        expect(Number(b.QuantityUsed)).toBeLessThanOrEqual(Number(b.QuantityGranted));
        expect(b.ActivationDate <= addMonths(b.Month, 1)).toBe(true);
        expect(b.ExpiryDate > b.ActivationDate && b.ExpiryDate < addMonths(b.ActivationDate, 12)).toBe(true);
      }
    }
  });
});
