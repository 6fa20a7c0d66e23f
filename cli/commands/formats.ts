import type { FileFormat } from '../../etl/formats';
import { defineCommand } from '../command';

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
export const formatsCommand = defineCommand('formats', (command) => {
  command
    .summary('list the file formats the loader accepts and their columns')
    .description('List the file formats the loader accepts (from their definitions): table, required and optional columns, date style, replace key.')
    .option('--markdown', 'print Markdown (as in the README)');
  return async (options: { markdown?: boolean }) => {
    const { ACCEPTED_FORMATS } = await import('../../etl/formats');
    process.stdout.write(ACCEPTED_FORMATS.map((f) => describe(f, Boolean(options.markdown))).join('\n') + '\n');
  };
});
