#!/usr/bin/env node
import 'reflect-metadata';
import { COMMANDS } from './commands';
import { runCli } from './program';

/** `partner-insights <command> [options]`: the program is cli/program.ts, every command cli/commands/<name>.ts. */
runCli(process.argv.slice(2), COMMANDS).then((code) => {
  process.exitCode = code;
});
