import 'reflect-metadata';
import { Authorized } from 'type-graphql';
import type { AuthChecker } from 'type-graphql';
import { assertPermission, type Permission } from '../../core/permissions';
import type { Caller } from '../../core/caller';

/**
 * Field guard: `@Requires('seePersonalData')` on a `@Field`, `@FieldResolver` or `@Query`. When the
 * caller lacks the permission the field resolves to null with a FORBIDDEN error whose
 * `extensions.requiredRoles` lists the roles that would do. The field must be nullable.
 */
export function Requires(permission: Permission): MethodDecorator & PropertyDecorator & ClassDecorator {
  return Authorized<Permission>(permission);
}

/** type-graphql authChecker behind @Requires; the subgraph builder installs it. */
export const permissionAuthChecker: AuthChecker<{ caller: Caller }, Permission> = ({ context, info }, permissions) => {
  for (const permission of permissions) {
    assertPermission(context.caller, permission, `${info.parentType.name}.${info.fieldName}`);
  }
  return true;
};
