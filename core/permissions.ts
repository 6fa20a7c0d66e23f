import type { Caller } from './caller';
import { forbidden } from './errors';
import { PARTNER_ROLES, type PartnerRole } from './vocabulary';

/**
 * Who may do what, as data. Derived from the Partner Center documentation, "Assign users roles and
 * permissions" (reference line 7579), "Role-based access control to the Partner Center Insights
 * dashboard" (line 16216) and each Insights page's "Appropriate roles" (lines 16062, 16346, 16449,
 * 16520, 16862). Global admin "can access all Microsoft account/services with full privileges" and
 * is in every list. A role missing from a list gets null plus a FORBIDDEN error naming the roles of
 * the list.
 */
export const PERMISSIONS = {
  readPartner: {
    roles: PARTNER_ROLES,
    why: 'every partner user sees their own company profile and locations ("Default user: View My profile")',
  },
  readUsers: {
    roles: ['Global admin', 'User admin', 'Account admin', 'MPN partner admin', 'Executive report viewer', 'Report viewer'],
    why: 'user management roles; MPN partner admin "View user details", "View other user roles"; report viewers see employee datasets (without personal data)',
  },
  readCustomers: {
    roles: ['Global admin', 'Admin agent', 'Sales agent', 'Helpdesk agent', 'Billing admin', 'MPN partner admin', 'Executive report viewer', 'Report viewer'],
    why: 'agents: "Customer management", "Search for and view a customer"; billing admin reads recon files by customer; MPN partner admin "View customer data analytics"; report viewers read the customers reports',
  },
  readActivityLog: {
    roles: ['Global admin', 'Billing admin', 'User admin', 'Admin agent', 'Sales agent', 'Helpdesk agent', 'Executive report viewer'],
    why: '"View or export customer activity logs", appropriate roles (line 11509), plus Executive report viewer ("all reporting datasets")',
  },
  seeRevenue: {
    roles: ['Global admin', 'Billing admin', 'Admin agent', 'Executive report viewer'],
    why: 'money: billing roles and Executive report viewer; Report viewer is denied "revenue"',
  },
  seePersonalData: {
    roles: ['Global admin', 'User admin', 'Account admin', 'Admin agent', 'Sales agent', 'Helpdesk agent', 'MPN partner admin', 'Referrals admin', 'Executive report viewer'],
    why: 'user emails and names, contact names: roles that manage users, customers or referrals; Report viewer is denied "customer and employee personal data"',
  },
  readSubscriptions: {
    roles: ['Global admin', 'Admin agent', 'Sales agent', 'Helpdesk agent', 'Billing admin', 'MPN partner admin', 'Executive report viewer', 'Report viewer'],
    why: 'same as readCustomers: subscriptions are part of customer management and of the subscription reports',
  },
  manageSubscriptions: {
    roles: ['Global admin', 'Admin agent', 'Sales agent', 'Helpdesk agent', 'Billing admin'],
    why: 'agents: "Subscription management", helpdesk "Manage subscriptions and billing issues on behalf of customers"; "Create, suspend, or cancel customer subscriptions" (line 14458) lists Admin agent, Billing admin, Global admin, Helpdesk agent, Sales agent',
  },
  readReferrals: {
    roles: ['Global admin', 'Referrals admin', 'Sales agent', 'Executive report viewer', 'Report viewer'],
    why: 'Referrals admin "Receive and manage referrals"; Sales agent "Manage customer leads"; referral insights are reports',
  },
  manageReferrals: {
    roles: ['Global admin', 'Referrals admin'],
    why: 'Referrals admin: "View, create, and manage co-sell referrals"',
  },
  seeDealValue: {
    roles: ['Global admin', 'Referrals admin', 'Executive report viewer'],
    why: 'referral and deal registration values: the Referrals admin enters them ("Receive and manage referrals"), Executive report viewer "all reporting datasets"; Report viewer is denied "revenue"',
  },
  seeBilling: {
    roles: ['Global admin', 'Billing admin', 'Admin agent'],
    why: 'Billing admin "View, create, and manage billing, invoices, and recon files"; Admin agent "Billing"',
  },
  readAnalytics: {
    roles: ['Global admin', 'User admin', 'Admin agent', 'Sales agent'],
    why: 'CSP analytics pages (Azure usage analytics, reseller analytics, subscription and license analytics, reference line 17063ff): "Global admin, User management admin, Admin agent, Sales agent"',
  },
  readReports: {
    roles: ['Global admin', 'Account admin', 'MPN partner admin', 'Executive report viewer', 'Report viewer'],
    why: 'the Insights dashboard (Overview, Customers; PCI and the executive report read the same data): "Appropriate roles: Global admin, Account admin, Executive report viewer, Report viewer" (reference line 16062); MPN partner admin "View customer data analytics", "View partner contribution indicator data" (line 7579)',
  },
  readProductReports: {
    roles: ['Global admin', 'Account admin', 'Admin agent', 'MPN partner admin', 'Executive report viewer', 'Report viewer'],
    why: 'the Product Subscriptions, Product Licenses and Azure Usage reports and their metrics: "Appropriate roles: Global admin, Admin agent, Report Viewer, Executive Report Viewer" (reference lines 16346, 16449, 16520), and each page\'s note "such as Global Admin, Account Admin, Report Viewer or Executive Report Viewer"; plus the readReports roles, which see these metrics on the Overview',
  },
  readTrainings: {
    roles: ['Global admin', 'Executive report viewer', 'Report viewer'],
    why: 'the Trainings dashboard: "Appropriate roles: Executive report viewer, Report viewer" (reference line 16586); Global admin has "full privileges"',
  },
  readTrainingIndividuals: {
    roles: ['Global admin', 'Executive report viewer'],
    why: 'the Trainings dashboard\'s Individuals\' performance (names and emails): "available only to users who are executive report viewers" (reference line 16655)',
  },
  readBusinessProfileInsights: {
    roles: ['Global admin', 'MPN partner admin', 'Referrals admin', 'Business profile admin', 'Admin agent', 'Sales agent'],
    why: 'Business profile insights: "Appropriate roles: Global admin, MPN partner admin, Referral admin, Business profile admin, Admin agent, Sales agent" (reference line 9184)',
  },
  readProgramReports: {
    roles: ['Global admin', 'Account admin', 'Admin agent', 'Executive report viewer', 'Report viewer'],
    why: 'the Competencies and Benefits reports: "Appropriate roles: Global admin, Admin agent, Report Viewer, Executive Report Viewer" (reference lines 16665, 16753), and each page\'s note "such as Global Admin, Account Admin, Report Viewer or Executive Report Viewer"; MPN partner admin is not listed (MPN admins were made Executive report viewers, line 16239)',
  },
  readPartnerRelationships: {
    roles: ['Global admin', 'User admin', 'Admin agent', 'Sales agent'],
    why: 'multi-partner support: "Appropriate roles: Global admin, User admin, Sales agent" (reference line 18020); Admin agent, who also requests reseller relationships ("Obtain permissions to manage a customer\'s service or subscription": Admin agent, Sales agent, line 11366) and has "Customer management" (line 7615)',
  },
  requestRelationships: {
    roles: ['Global admin', 'User admin', 'Admin agent', 'Sales agent'],
    why: 'reseller relationship requests: Sales agent "Request a relationship with a customer" (reference line 7615); the multi-partner page\'s roles, Global admin, User admin, Sales agent (line 18020); "email them a reseller relationship request", appropriate roles Admin agent, Sales agent (line 11366)',
  },
  manageApiKeys: {
    roles: ['Global admin', 'Account admin'],
    why: 'API keys act as a role for exports: the roles that assign roles to users may create and revoke them. Global admin "View, create, and manage partner users"; Account admin "Assign roles for users in tenant to non AAD roles" and, with Global admin, assigns the Insights roles (line 16216). A key never gets a role its creator may not assign (GRANTABLE_ROLES, warehouse/accounts/api-keys.ts)',
  },
  downloadReports: {
    roles: ['Global admin', 'Executive report viewer'],
    /*
     * The reading of "Download reports" (reference line 16858). Its "Appropriate roles" are Executive
     * report viewer and Report viewer, and its note says "Only those users who are executive report
     * viewers can download reports" (line 16896). Both hold: the appropriate roles may open the hub
     * (reportTypes lists the reports to anyone, with canGenerate false), and only an Executive report
     * viewer generates and downloads them, whatever the report holds. Report viewer: not, even for a
     * report without revenue or personal data. MPN partner admin: not by that role; MPN admins were
     * made Executive report viewers "for all locations" (line 16239), which is the role that downloads.
     * Global admin stays, as in every list ("full privileges"; it can also assign itself the role).
     */
    why: 'Download reports (reference line 16858): "Only those users who are executive report viewers can download reports" (line 16896); the page\'s appropriate roles (Executive report viewer, Report viewer) may open the hub and list the reports, only an Executive report viewer downloads; Global admin has "full privileges"',
  },
  exportBilling: {
    roles: ['Global admin', 'Billing admin', 'Admin agent'],
    why: 'line-level billing exports (daily usage lines, FOCUS): the reconciliation files\' roles, and the Partner Center Analytics app for Power BI "you must be a global admin, admin agent, or billing admin" (reference line 16007)',
  },
  manageBudgets: {
    roles: ['Global admin', 'Billing admin', 'Admin agent'],
    why: 'customers\' monthly Azure spending budgets and their alerts: "Set, check, or remove monthly Azure spending budgets for customers" (reference line 10967) names no roles; the Azure plan billing it belongs to ("Azure spending ... View, manage, and receive alerts for budget set at a customer level", line 13846) lists "Appropriate roles: Admin agent, Billing admin, Global admin" (line 13698)',
  },
  loadData: {
    roles: ['Global admin', 'Billing admin'],
    why: 'loading Partner Center files (reconciliation, usage, billing exports) into the warehouse and reading the load jobs: Billing admin "View, create, and manage billing, invoices, and recon files"; Global admin "can access all Microsoft account/services with full privileges"',
  },
} as const satisfies Record<string, { roles: readonly PartnerRole[]; why: string }>;

export type Permission = keyof typeof PERMISSIONS;

/** The roles that grant a permission. */
export function rolesFor(permission: Permission): readonly PartnerRole[] {
  return PERMISSIONS[permission].roles;
}

export function hasPermission(caller: Caller, permission: Permission): boolean {
  const roles: readonly string[] = PERMISSIONS[permission].roles;
  return caller.roles.some((r) => roles.includes(r));
}

/** Throws FORBIDDEN naming the roles unless the caller has the permission. `what` reads "Customer.activityLog". */
export function assertPermission(caller: Caller, permission: Permission, what: string): void {
  if (!hasPermission(caller, permission)) throw forbidden(what, rolesFor(permission), permission);
}

/**
 * Roles whose bearer tokens must show multi-factor authentication when PI_REQUIRE_MFA is on
 * (gateway/auth.ts): "mfa" in the token's "amr" claim, as Entra ID issues it after an MFA sign-in
 * ("amr": ["pwd", "mfa"], reference line 18713). "Mandating Multi-factor Authentication (MFA) for
 * your partner tenant" (line 18612) names the "Affected roles" (line 18624): Admin agent, Sales agent,
 * Helpdesk agent, Billing administrator, Global administrator; the partner security requirements ask
 * partners "to enforce multi-factor authentication for all user accounts in their partner tenant"
 * (line 18505). This list is those roles and every other role that administers something (the
 * admin roles of "Assign users roles and permissions", line 7579: Account admin, User admin, MPN
 * partner admin, Referrals admin, Business profile admin, Incentives admin). Left out: the roles that only read (Executive report viewer, Report viewer,
 * Incentives user), which a partner may still cover by enforcing MFA at its identity provider.
 */
/** The roles that only read, which the MFA requirement leaves out (see MFA_ROLES). */
const READ_ONLY_ROLES: readonly PartnerRole[] = ['Executive report viewer', 'Report viewer', 'Incentives user'];

export const MFA_ROLES: readonly PartnerRole[] = PARTNER_ROLES.filter((role) => !READ_ONLY_ROLES.includes(role));
