import type { Caller } from '../../core/caller';
import { DomainError, ErrorCode } from '../../core/errors';

/**
 * Competencies and benefits belong to the company, not to a location: "Your competencies and
 * benefits from all your locations are consolidated at the company (PGA) level" (reference line
 * 3394). A role assigned for specific locations "limits the user to viewing reporting data associated
 * only with the selected MPN location(s)" (line 16222), and these data are associated with none: a
 * location-scoped caller is refused, naming why, rather than shown the whole company's.
 */
export function assertCompanyWide(caller: Caller, what: string): void {
  if (caller.locations === null) return;
  throw new DomainError(
    ErrorCode.FORBIDDEN,
    `${what} belongs to the whole company, not to a location: a role limited to locations (${caller.locations.join(', ')}) does not see it; ask for a role for the entire organization`,
    { reason: 'LOCATION_SCOPED', locations: [...caller.locations] },
  );
}
