import { CommanderError } from 'commander';
import { DomainError, ERROR_OUTCOMES } from '../core/errors';

/**
 * The exit codes of every `partner-insights` command: the one table. Commands return OK or
 * FAILURE, or throw; the program's error handler (cli/program.ts) turns what they throw into a
 * code with exitCodeFor below.
 */
export const EXIT = {
  /** Done. `--help` and `--version` too. */
  OK: 0,
  /**
   * The work ran and failed: a file the loader rejected, an I/O error, a server that would not
   * start, a bug.
   */
  FAILURE: 1,
  /**
   * Refused before any work: an unknown command or option, a missing or malformed value, a role,
   * range or dataset that does not exist, or what the caller may not do or see (UsageError; every
   * DomainError: BAD_USER_INPUT, FORBIDDEN, NOT_FOUND, INVALID_STATE, UNAUTHENTICATED...).
   */
  USAGE: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake in the command line that the user can fix; exits USAGE with the command's usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The exit code of an error: commander's (0 for --help and --version, USAGE for the rest), a
 * UsageError's, a DomainError's from core/errors.ts ERROR_OUTCOMES; undefined for anything else
 * (an internal error: FAILURE, with the message, and the stack under PI_DEBUG).
 */
export function exitCodeFor(error: unknown): number | undefined {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  if (error instanceof UsageError) return EXIT.USAGE;
  if (error instanceof DomainError) return ERROR_OUTCOMES[error.code]?.exitCode ?? EXIT.FAILURE;
  return undefined;
}
