import type { FileFormat } from './types';

/** Certifications and exams of individuals at a partner location (needed by PCI). */
export const certificationFormat: FileFormat = {
  name: 'certifications',
  table: 'certifications',
  description: 'Certifications and passed exams of individuals, per location (MB-200, MB-210, MB-300, MB-400, ...)',
  source: 'defined here from the Trainings report and the PCI certification rules',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'individual_id', 'credential_code'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'MpnId', column: 'mpn_id', required: true, notEmpty: true },
    { header: 'IndividualId', column: 'individual_id', required: true, notEmpty: true },
    { header: 'IndividualName', column: 'individual_name' },
    { header: 'Email', column: 'email' },
    { header: 'CredentialType', column: 'credential_type', required: true, notEmpty: true, allowed: ['Exam', 'Certification'] },
    { header: 'CredentialCode', column: 'credential_code', required: true, notEmpty: true },
    { header: 'CredentialName', column: 'credential_name', required: true },
    { header: 'AchievedDate', column: 'achieved_date', required: true, notEmpty: true },
    { header: 'ExpiryDate', column: 'expiry_date' },
  ],
};
