/** A CLI command: its name, a one-line usage and summary for `help`, and what it does. */
export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Returns the process exit code. */
  run(args: string[]): Promise<number>;
}
