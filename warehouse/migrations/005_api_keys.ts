/**
 * Migration 5: API keys (warehouse/accounts/api-keys.ts). A partner admin creates a key for one
 * role, optionally limited to locations, with a required expiry; the key authorises the export and
 * report download routes only. Only the sha256 of the secret is stored: the secret itself is shown
 * once, at creation. locations NULL: the entire organization.
 */
export const up = `
CREATE TABLE api_keys (
  key_id VARCHAR PRIMARY KEY,
  partner_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  role VARCHAR NOT NULL,
  locations VARCHAR[],
  secret_sha256 VARCHAR NOT NULL,
  created_by VARCHAR,
  created_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL,
  revoked_at TIMESTAMP,
  revoked_by VARCHAR,
  last_used_at TIMESTAMP
);
`;
