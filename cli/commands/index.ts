import type { Command } from '../command';
import { generateCommand } from './generate';
import { loadCommand } from './load';
import { startCommand } from './start';
import { statusCommand } from './status';

/** Every command of `partner-insights`, in the order `help` lists them. */
export const COMMANDS: Command[] = [startCommand, generateCommand, loadCommand, statusCommand];
