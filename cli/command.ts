import type { Command } from 'commander';
import type { ExitCode } from './exit-codes';

/**
 * What a command's action resolves to: its exit code (OK, or FAILURE for work that failed
 * without an error to throw, such as a rejected file); nothing means OK. Anything it throws goes to the
 * program's error handler (cli/program.ts), which maps it through cli/exit-codes.ts.
 */
export type ActionResult = ExitCode | void;
// Commander passes the declared arguments, then the options, then the command itself.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Action = (...args: any[]) => Promise<ActionResult>;

/** Where a run of the program records the exit code of the action it ran, and which command that was. */
export interface Outcome {
  exitCode: number;
  command?: Command;
}

/** A CLI command: registers itself (arguments, options, help text, action) on the program. */
export interface CliCommand {
  readonly name: string;
  /** Adds the command to `program`; its action records its exit code in `outcome`. */
  register(program: Command, outcome: Outcome): Command;
  /**
   * `partner-insights <name> ...args` in this process (tests): resolves to the exit code the CLI
   * would exit with, what the action throws mapped and printed by the program's error handler.
   */
  run(args: string[]): Promise<number>;
}

/**
 * A command named `name`: `configure` declares its summary, usage, arguments and options on the
 * commander command and returns the action. Heavy modules (the warehouse, the gateway, the ETL) are
 * imported inside the action, so that `--help` and the other commands start fast.
 */
export function defineCommand(name: string, configure: (command: Command) => Action): CliCommand {
  const cli: CliCommand = {
    name,
    register(program, outcome) {
      const command = program.command(name);
      const action = configure(command);
      command.action(async (...args: unknown[]) => {
        outcome.exitCode = (await action(...args)) ?? 0;
      });
      return command;
    },
    async run(args) {
      // Loaded here: program.ts imports nothing of the commands, but this keeps the import one-way.
      const { runCli } = await import('./program');
      return runCli([name, ...args], [cli]);
    },
  };
  return cli;
}
