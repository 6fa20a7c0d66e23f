import type { Command } from '../command';

export const loadCommand: Command = {
  name: 'load',
  usage: 'load',
  summary: 'placeholder: being written',
  async run() {
    throw new Error('load is not written yet');
  },
};
