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
    { header: 'PartnerId', column: 'partner_id', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'MpnId', column: 'mpn_id', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'IndividualId', column: 'individual_id', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'IndividualName', column: 'individual_name', type: 'VARCHAR' },
    { header: 'Email', column: 'email', type: 'VARCHAR' },
    { header: 'CredentialType', column: 'credential_type', type: 'VARCHAR', required: true, notEmpty: true, allowed: ['Exam', 'Certification'] },
    { header: 'CredentialCode', column: 'credential_code', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'CredentialName', column: 'credential_name', type: 'VARCHAR', required: true },
    { header: 'AchievedDate', column: 'achieved_date', type: 'DATE', required: true, notEmpty: true },
    { header: 'ExpiryDate', column: 'expiry_date', type: 'DATE' },
  ],
};
