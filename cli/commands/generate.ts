import type { GenerateOptions } from '../../etl/generate';
import { defineCommand } from '../command';
import { wholeNumber } from '../options';

/** Commander's options are the generator's own (a type import: --help loads nothing of it). */
type GenerateFlags = Pick<GenerateOptions, 'out' | 'seed' | 'customers' | 'months' | 'usageRows' | 'asOf'>;

/** `partner-insights generate`: writes the deterministic demo data set as Partner Center files. */
export const generateCommand = defineCommand('generate', (command) => {
  command
    .summary('write the demo data set as Partner Center files (deterministic for a seed)')
    .description('Write the demo data set as Partner Center files, deterministic for a seed: the same options write the same bytes.')
    .usage('--out DIR [--seed N] [--customers N] [--months N] [--usage-rows N] [--as-of YYYY-MM-DD]')
    .requiredOption('--out <dir>', 'the folder to write (with manifest.json)')
    .option('--seed <n>', 'random seed', wholeNumber('--seed'))
    .option('--customers <n>', 'customers a partner', wholeNumber('--customers'))
    .option('--months <n>', 'months of history', wholeNumber('--months'))
    .option('--usage-rows <n>', 'daily usage rows to write', wholeNumber('--usage-rows'))
    .option('--as-of <date>', 'last day of the history, YYYY-MM-DD')
    .addHelpText('after', () => {
      // Only for --help: the generator's module is not loaded otherwise.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const g = require('../../etl/generate') as typeof import('../../etl/generate');
      return `\nDefaults: seed ${g.DEFAULT_SEED}, ${g.DEFAULT_CUSTOMERS} customers a partner, ${g.DEFAULT_MONTHS} months to ${g.DEFAULT_AS_OF}.`;
    });
  return async (options: GenerateFlags) => {
    const { generateDemoData } = await import('../../etl/generate');
    const started = Date.now();
    const summary = await generateDemoData({ ...options, log: (m) => process.stdout.write(`  ${m}\n`) });
    process.stdout.write(`Wrote ${summary.files.length} files to ${options.out} (seed ${summary.seed}, ${summary.start} to ${summary.asOf}):\n`);
    for (const [format, rows] of Object.entries(summary.rowsByFormat)) {
      const count = summary.files.filter((f) => f.format === format).length;
      process.stdout.write(`  ${format.padEnd(22)} ${String(rows).padStart(10)} rows in ${count} file${count === 1 ? '' : 's'}\n`);
    }
    for (const p of summary.partners) {
      process.stdout.write(`  ${p.name} (${p.type}, ${p.id}): ${p.customers} customers, ${p.subscriptions} subscriptions, ${p.invoices.length} invoices\n`);
    }
    process.stdout.write(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s; manifest at ${options.out}/manifest.json\n`);
  };
});
