import type { Command } from '../command';

export const startCommand: Command = {
  name: 'start',
  usage: 'start',
  summary: 'placeholder: being written',
  async run() {
    throw new Error('start is not written yet');
  },
};
