import type { Command } from '../command';
import { FILE_FORMATS, type FileFormat } from '../../etl/formats';

function describe(format: FileFormat, markdown: boolean): string {
  const required = format.columns.filter((c) => c.required).map((c) => c.header);
  const optional = format.columns.filter((c) => !c.required).map((c) => c.header);
  const dates = format.dateStyle === 'us' ? 'M/D/YYYY (en-US)' : 'YYYY-MM-DD';
  if (markdown) {
    return [
      `### \`${format.name}\` → \`${format.table}\``,
      '',
      `${format.description}. Source: ${format.source}. Dates: ${dates}. A newer file replaces rows with the same ${format.replaceBy.join(' + ')}.`,
      '',
      `- Required: ${required.map((h) => `\`${h}\``).join(', ')}`,
      optional.length ? `- Optional: ${optional.map((h) => `\`${h}\``).join(', ')}` : '',
      '',
    ]
      .filter((l, i, all) => l !== '' || all[i - 1] !== '')
      .join('\n');
  }
  return `${format.name} (${format.table}): ${format.description}\n  required: ${required.join(', ')}\n  optional: ${optional.join(', ')}\n  dates: ${dates}; replaces by: ${format.replaceBy.join(', ')}\n`;
}

/** `partner-insights formats [--markdown]`: the file formats the ETL accepts, from their definitions. */
export const formatsCommand: Command = {
  name: 'formats',
  usage: 'formats [--markdown]',
  summary: 'list the file formats the loader accepts and their columns',
  async run(args) {
    const markdown = args.includes('--markdown');
    process.stdout.write(FILE_FORMATS.map((f) => describe(f, markdown)).join('\n') + '\n');
    return 0;
  },
};
