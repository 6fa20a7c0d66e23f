import type { Command } from '../command';

export const statusCommand: Command = {
  name: 'status',
  usage: 'status',
  summary: 'placeholder: being written',
  async run() {
    throw new Error('status is not written yet');
  },
};
