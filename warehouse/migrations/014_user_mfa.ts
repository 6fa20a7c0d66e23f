/**
 * Migration 14: the partner security requirements (reference line 18484: "enforce multi-factor
 * authentication for all user accounts in your partner tenant"). users.mfa_registered: whether the
 * user has registered for multi-factor authentication, as Microsoft Graph's authentication methods
 * report (userRegistrationDetails.isMfaRegistered) gives it; NULL when the users file does not say.
 */
export const up = `
ALTER TABLE users ADD COLUMN mfa_registered BOOLEAN;
`;
