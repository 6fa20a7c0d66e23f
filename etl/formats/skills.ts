import type { FileFormat } from './types';

/**
 * Credentials of individuals at a partner location: exams, certifications (PCI and the Trainings
 * report), competency assessments (Trainings) and Microsoft Learn module and learning path
 * completions (the Microsoft Learn download).
 */
export const certificationFormat: FileFormat = {
  name: 'certifications',
  table: 'certifications',
  description:
    'Certifications, passed exams, assessments and Microsoft Learn completions (modules, learning paths) of individuals, per location (MB-200, MB-210, MB-300, MB-400, ...)',
  source:
    'defined here from the Trainings report (certifications, assessments, exams), the Download reports hub\'s Microsoft Learn report (modules, learning paths) and the PCI certification rules',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'individual_id', 'credential_code'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'MpnId', column: 'mpn_id', required: true, notEmpty: true },
    { header: 'IndividualId', column: 'individual_id', required: true, notEmpty: true },
    { header: 'IndividualName', column: 'individual_name' },
    { header: 'Email', column: 'email' },
    { header: 'CredentialType', column: 'credential_type', required: true, notEmpty: true, allowed: ['Exam', 'Certification', 'Assessment', 'Module', 'Learning path'] },
    { header: 'CredentialCode', column: 'credential_code', required: true, notEmpty: true },
    { header: 'CredentialName', column: 'credential_name', required: true },
    { header: 'AchievedDate', column: 'achieved_date', required: true, notEmpty: true },
    { header: 'ExpiryDate', column: 'expiry_date' },
  ],
};
