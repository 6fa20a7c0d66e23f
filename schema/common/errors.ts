import { GraphQLError } from 'graphql';

/**
 * Typed GraphQL errors. Every error a user can act on carries `extensions.code` and the facts needed
 * to act on it (the roles a field needs, the states an action is allowed from, the argument at fault).
 * Resolvers throw these; anything else that escapes a resolver is an internal error and is masked in
 * responses outside development (see gateway/http.ts formatError).
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  INVALID_STATE: 'INVALID_STATE',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  QUERY_TOO_COSTLY: 'QUERY_TOO_COSTLY',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The caller lacks a role. `requiredRoles` lists the roles any one of which would do. */
export function forbidden(what: string, requiredRoles: readonly string[], permission?: string): GraphQLError {
  return new GraphQLError(`${what} needs one of these roles: ${requiredRoles.join(', ')}`, {
    extensions: { code: ErrorCode.FORBIDDEN, requiredRoles: [...requiredRoles], ...(permission ? { permission } : {}) },
  });
}

/** No such object for this caller (also what another partner's id looks like: no existence leak). */
export function notFound(typename: string, id: string): GraphQLError {
  return new GraphQLError(`${typename} ${JSON.stringify(id)} was not found`, {
    extensions: { code: ErrorCode.NOT_FOUND, typename, id },
  });
}

/** An action that the object's current state does not allow, e.g. reactivating a cancelled subscription. */
export function invalidState(
  what: string,
  action: string,
  currentState: string,
  allowedStates: readonly string[],
): GraphQLError {
  return new GraphQLError(
    `cannot ${action} ${what} in state "${currentState}"; allowed from: ${allowedStates.map((s) => `"${s}"`).join(', ')}`,
    { extensions: { code: ErrorCode.INVALID_STATE, action, currentState, allowedStates: [...allowedStates] } },
  );
}

/** An argument the caller can fix. `argument` names it (e.g. "first", "after", "filter.country"). */
export function badUserInput(message: string, argument?: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, ...(argument ? { argument } : {}), ...extra },
  });
}
