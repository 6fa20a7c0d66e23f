#!/usr/bin/env node
import 'reflect-metadata';
import { COMMANDS } from './commands';

/** `partner-insights <command> [options]`: every command lives in cli/commands/<name>.ts. */
async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command || name === 'help' || name === '--help') {
    process.stdout.write(
      'usage: partner-insights <command> [options]\n\n' +
        COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`).join('\n') +
        '\n',
    );
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`partner-insights: ${err.message}\n`);
    if (process.env.PI_DEBUG) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  },
);
