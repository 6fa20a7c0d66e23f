import type { Caller } from '../../core/caller';
import { hasPermission, rolesFor, type Permission } from '../../core/permissions';
import { metric } from './figures';
import type { WithheldItem } from './types';

/** The first permission of the list the caller lacks, or null. */
function missing(caller: Caller, permissions: readonly Permission[]): Permission | null {
  return permissions.find((p) => !hasPermission(caller, p)) ?? null;
}

/** What the report leaves out for the caller, each part once, with the roles that would show it. */
export class Withheld {
  readonly items: WithheldItem[] = [];

  constructor(private readonly caller: Caller) {}

  add(what: string, permission: Permission): void {
    if (!this.items.some((w) => w.what === what)) this.items.push({ what, permission, roles: rolesFor(permission) });
  }

  /** Whether the caller may see a metric; records what is withheld otherwise. */
  shows(name: string, what: string): boolean {
    const lacking = missing(this.caller, metric(name).permissions);
    if (lacking) this.add(what, lacking);
    return !lacking;
  }
}
