import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CliCommand, Outcome } from './command';
import { EXIT, UsageError, exitCodeFor } from './exit-codes';
import { explainLockConflict } from './remote';

export const PROGRAM = 'partner-insights';

/** package.json's version: found above this file, in the sources (cli/) or compiled (dist/cli/). */
export function packageVersion(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PROGRAM && pkg.version) return pkg.version;
    } catch {
      // no package.json here: look one folder up
    }
  }
  return 'unknown';
}

const EXIT_CODES_HELP = `
Exit codes: ${EXIT.OK} done; ${EXIT.FAILURE} the work ran and failed (a file the loader rejected, an I/O or internal
error); ${EXIT.USAGE} refused before any work (unknown command or option, bad value, a role without access, not found).
PI_DEBUG=1 prints stack traces.`;

/** Commander's "error: ..." as "partner-insights <command>: ...". */
function prefixErrors(command: Command, name: string): void {
  command.configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, `${name}: `)) });
}

/**
 * The program over `commands`: --version, --help on it and on every command (printing, never
 * running anything), and commander's errors (unknown command or option, missing or bad value)
 * thrown as CommanderError (exitOverride) after their message on stderr, for parse() to turn into
 * exit code 2. Each command's action records its exit code in `outcome`.
 */
export function buildProgram(commands: readonly CliCommand[], outcome: Outcome): Command {
  const program = new Command(PROGRAM)
    .usage('<command> [options]')
    .description('Partner Center files -> DuckDB warehouse -> federated GraphQL API')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print this help')
    .helpCommand('help [command]', 'print the help of a command')
    // Before the commands: they inherit these.
    .exitOverride()
    .showHelpAfterError(`(${PROGRAM} --help lists the commands)`)
    .addHelpText('after', EXIT_CODES_HELP);
  prefixErrors(program, PROGRAM);
  for (const c of commands) {
    const command = c.register(program, outcome);
    command.showHelpAfterError(`(${PROGRAM} ${command.name()} --help for its usage)`);
    prefixErrors(command, `${PROGRAM} ${command.name()}`);
  }
  program.hook('preAction', (_program, command) => {
    outcome.command = command;
  });
  return program;
}

/**
 * Parses `argv` (the arguments after the program name) and runs the command: resolves to its exit
 * code, or to commander's (0 after --help or --version, USAGE after a mistake it reported).
 * Rejects with anything else the action throws.
 */
export async function parse(program: Command, argv: readonly string[], outcome: Outcome): Promise<number> {
  try {
    await program.parseAsync(argv.length ? [...argv] : ['--help'], { from: 'user' });
    return outcome.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return exitCodeFor(error)!;
    throw error;
  }
}

/**
 * `partner-insights ...argv` in this process: the program's error handler, the one place that turns
 * what a command throws into a message on stderr and an exit code (cli/exit-codes.ts). A usage
 * mistake or a refused request prints its message (and the command's usage for a mistake); an
 * internal error prints its message, and its stack under PI_DEBUG, and exits FAILURE. DuckDB's
 * refusal of a warehouse file another process holds never shows raw: it says which process holds
 * it and what to do (cli/remote.ts explainLockConflict).
 */
export async function runCli(argv: readonly string[], commands: readonly CliCommand[]): Promise<number> {
  const outcome: Outcome = { exitCode: EXIT.OK };
  const program = buildProgram(commands, outcome);
  try {
    return await parse(program, argv, outcome);
  } catch (thrown) {
    const error = explainLockConflict(thrown) ?? thrown;
    const command = outcome.command;
    const name = command ? `${PROGRAM} ${command.name()}` : PROGRAM;
    const code = exitCodeFor(error) ?? EXIT.FAILURE;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${name}: ${message}\n`);
    if (error instanceof UsageError && command) process.stderr.write(`usage: ${name} ${command.usage()}\n`);
    if (code === EXIT.FAILURE && process.env.PI_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return code;
  }
}
