import type { Command } from '../command';
import { DEFAULT_AS_OF, DEFAULT_CUSTOMERS, DEFAULT_MONTHS, DEFAULT_SEED, generateDemoData, type GenerateOptions } from '../../etl/generate';

const USAGE = 'generate --out DIR [--seed N] [--customers N] [--months N] [--usage-rows N] [--as-of YYYY-MM-DD]';

function parse(args: string[]): GenerateOptions {
  const options: Partial<GenerateOptions> = {};
  const whole = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new Error(`${flag} needs a whole number, not "${value ?? ''}"`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split('=', 2) as [string, string | undefined];
    const value = () => inline ?? args[++i];
    switch (flag) {
      case '--out':
        options.out = value();
        break;
      case '--seed':
        options.seed = whole(flag, value());
        break;
      case '--customers':
        options.customers = whole(flag, value());
        break;
      case '--months':
        options.months = whole(flag, value());
        break;
      case '--usage-rows':
        options.usageRows = whole(flag, value());
        break;
      case '--as-of':
        options.asOf = value();
        break;
      default:
        throw new Error(`unknown option ${args[i]}; usage: partner-insights ${USAGE}`);
    }
  }
  if (!options.out) throw new Error(`--out DIR is required; usage: partner-insights ${USAGE}`);
  return options as GenerateOptions;
}

/** `partner-insights generate`: writes the deterministic demo data set as Partner Center files. */
export const generateCommand: Command = {
  name: 'generate',
  usage: USAGE,
  summary: `write the demo data set as Partner Center files (defaults: seed ${DEFAULT_SEED}, ${DEFAULT_CUSTOMERS} customers a partner, ${DEFAULT_MONTHS} months to ${DEFAULT_AS_OF})`,
  async run(args) {
    const options = parse(args);
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
    return 0;
  },
};
