/**
 * Domain errors: a code, a message a user can act on, and the facts needed to act on it (the roles a
 * field needs, the states an action is allowed from, the argument at fault). They carry no
 * transport: GraphQL turns them into GraphQLErrors (resolvers/common/errors.ts), HTTP routes and the
 * CLI into statuses and exit codes through ERROR_OUTCOMES below. Anything else that escapes is an
 * internal error and is masked in responses outside development.
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  INVALID_STATE: 'INVALID_STATE',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  QUERY_TOO_COSTLY: 'QUERY_TOO_COSTLY',
  /** The request ran past its time limit: its warehouse statements were stopped. */
  QUERY_TIMEOUT: 'QUERY_TIMEOUT',
  /** The client went before the answer: the request's warehouse statements were stopped. */
  REQUEST_CANCELLED: 'REQUEST_CANCELLED',
  /** A Microsoft service the product writes to for the user (Partner Center) failed after its retries: nothing was changed. */
  UPSTREAM_FAILED: 'UPSTREAM_FAILED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * What each code becomes outside GraphQL: the HTTP status and the short `error` word of a JSON error
 * body, and the CLI's exit code (cli/exit-codes.ts: 2, the request was refused before any work; 1,
 * the work ran and was stopped).
 */
export const ERROR_OUTCOMES: Record<ErrorCode, { status: number; error: string; exitCode: number }> = {
  UNAUTHENTICATED: { status: 401, error: 'unauthenticated', exitCode: 2 },
  FORBIDDEN: { status: 403, error: 'forbidden', exitCode: 2 },
  NOT_FOUND: { status: 404, error: 'not found', exitCode: 2 },
  INVALID_STATE: { status: 409, error: 'conflict', exitCode: 2 },
  BAD_USER_INPUT: { status: 400, error: 'bad request', exitCode: 2 },
  QUERY_TOO_DEEP: { status: 400, error: 'bad request', exitCode: 2 },
  QUERY_TOO_COSTLY: { status: 400, error: 'bad request', exitCode: 2 },
  QUERY_TIMEOUT: { status: 504, error: 'timeout', exitCode: 1 },
  // 499: nginx's "client closed request"; nobody reads it, but logs and metrics tell it from a failure.
  REQUEST_CANCELLED: { status: 499, error: 'client closed request', exitCode: 1 },
  UPSTREAM_FAILED: { status: 502, error: 'bad gateway', exitCode: 1 },
};

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Facts for the user or client: become GraphQL `extensions` and fields of an HTTP error body. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** The caller lacks a role. `requiredRoles` lists the roles any one of which would do. */
export function forbidden(what: string, requiredRoles: readonly string[], permission?: string): DomainError {
  return new DomainError(ErrorCode.FORBIDDEN, `${what} needs one of these roles: ${requiredRoles.join(', ')}`, {
    requiredRoles: [...requiredRoles],
    ...(permission ? { permission } : {}),
  });
}

/** No such object for this caller (also what another partner's id looks like: no existence leak). */
export function notFound(typename: string, id: string): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, `${typename} ${JSON.stringify(id)} was not found`, { typename, id });
}

/** An action that the object's current state does not allow, e.g. reactivating a cancelled subscription. */
export function invalidState(
  what: string,
  action: string,
  currentState: string,
  allowedStates: readonly string[],
): DomainError {
  return new DomainError(
    ErrorCode.INVALID_STATE,
    `cannot ${action} ${what} in state "${currentState}"; allowed from: ${allowedStates.map((s) => `"${s}"`).join(', ')}`,
    { action, currentState, allowedStates: [...allowedStates] },
  );
}

/** An argument the caller can fix. `argument` names it (e.g. "first", "after", "filter.country"). */
export function badUserInput(message: string, argument?: string, extra: Record<string, unknown> = {}): DomainError {
  return new DomainError(ErrorCode.BAD_USER_INPUT, message, { ...(argument ? { argument } : {}), ...extra });
}
