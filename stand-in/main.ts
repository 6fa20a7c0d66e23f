/**
 * Runs the stand-in: `node dist/stand-in/main.js [--size small|large] [--port N] [--seed N]`
 * (npm run stand-in -- --size large). Prints the environment that points partner-insights at it,
 * then serves until interrupted.
 */
import { generateDataSet, PRESETS, type PresetName } from './data-set';
import { guidOf } from './random';
import { startStandIn } from './server';

function usage(message?: string): never {
  if (message) console.error(message);
  console.error('usage: node dist/stand-in/main.js [--size small|large] [--port N] [--seed N] [--host H] [--client-secret S]');
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opts: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--help' || a === '-h') usage();
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) usage(`unknown argument ${a}`);
    opts[m[1]] = m[2] ?? args[++i] ?? usage(`${a} needs a value`);
  }
  const size = (opts.size ?? 'small') as PresetName;
  if (!(size in PRESETS)) usage(`--size must be one of ${Object.keys(PRESETS).join(', ')}`);
  const seed = opts.seed === undefined ? PRESETS[size].seed : Number(opts.seed);
  const port = opts.port === undefined ? 0 : Number(opts.port);
  if (!Number.isInteger(seed) || !Number.isInteger(port)) usage('--seed and --port take integers');
  const started = Date.now();
  const dataSet = generateDataSet(size, { seed });
  // A secret derived from the seed: restarting with the same --seed and --port keeps the pasted settings valid.
  const clientSecret = opts['client-secret'] ?? `stand-in-${guidOf(`secret:${seed}`)}`;
  const standIn = await startStandIn({ dataSet, port, host: opts.host, clientSecret });
  const env = standIn.settingsEnv();
  const lines = dataSet.lineCount();
  console.log(`# Partner Center stand-in (${size}, seed ${seed}) at ${standIn.origin}, ready in ${Date.now() - started} ms`);
  console.log(`# partner ${dataSet.partner.name} (${dataSet.partner.tenantId}), ${dataSet.customers.length} customers, ` +
    `${dataSet.subscriptions.length} subscriptions, ${dataSet.resellers.length} indirect resellers, ${dataSet.referrals.length} referrals, ` +
    `${dataSet.invoices.length} invoices, ${lines.toLocaleString('en-US')} line items`);
  console.log('# paste into your shell (or .env) to point partner-insights at it:');
  for (const [k, v] of Object.entries(env)) console.log(`${k}=${v}`);
  const stop = async () => {
    await standIn.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
