import { InvalidArgumentError } from 'commander';
import { PARTNER_ROLES, type PartnerRole } from '../core/vocabulary';
import { UsageError } from './exit-codes';

/** For an option given any number of times (`--role a --role b`): every value, in order. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** An option parser for a whole number >= 0 (`flag` names the option in the message). */
export function wholeNumber(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${flag} needs a whole number, not "${value}"`);
    return n;
  };
}

/** The roles of --role, or `fallback` when none was given; a UsageError naming the roles for an unknown one. */
export function partnerRoles(given: readonly string[] | undefined, fallback: readonly PartnerRole[] = []): PartnerRole[] {
  const roles = given?.length ? given : fallback;
  const unknown = roles.filter((r) => !(PARTNER_ROLES as readonly string[]).includes(r));
  if (unknown.length) throw new UsageError(`unknown role(s) ${unknown.map((r) => `"${r}"`).join(', ')}; roles are: ${PARTNER_ROLES.join(', ')}`);
  return [...roles] as PartnerRole[];
}

/** Help text naming the partner roles (for --role). */
export function rolesHelp(): string {
  return `\nRoles: ${PARTNER_ROLES.map((r) => `"${r}"`).join(', ')}.`;
}
