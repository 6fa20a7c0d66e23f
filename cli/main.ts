#!/usr/bin/env node
import 'reflect-metadata';
import { COMMANDS } from './commands';
import { runCli } from './program';

/** `partner-insights <command> [options]`: the program is cli/program.ts, every command cli/commands/<name>.ts. */
// Output piped into a reader that stopped (`partner-insights formats | head`): nothing more to say, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
runCli(process.argv.slice(2), COMMANDS).then((code) => {
  process.exitCode = code;
});
