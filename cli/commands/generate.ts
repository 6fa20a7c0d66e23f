import type { Command } from '../command';

export const generateCommand: Command = {
  name: 'generate',
  usage: 'generate',
  summary: 'placeholder: being written',
  async run() {
    throw new Error('generate is not written yet');
  },
};
