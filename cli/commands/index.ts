import type { CliCommand } from '../command';
import { exportCommand } from './export';
import { formatsCommand } from './formats';
import { generateCommand } from './generate';
import { loadCommand } from './load';
import { reportCommand } from './report';
import { serveCommand } from './serve';
import { startCommand } from './start';
import { statusCommand } from './status';
import { supergraphCommand } from './supergraph';
import { syncCommand } from './sync';
import { tokenCommand } from './token';

/** Every command of `partner-insights`, in the order `--help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  startCommand,
  generateCommand,
  loadCommand,
  syncCommand,
  statusCommand,
  formatsCommand,
  serveCommand,
  tokenCommand,
  reportCommand,
  exportCommand,
  supergraphCommand,
];
