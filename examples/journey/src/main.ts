import { parseArgs } from 'node:util';
import { journeyTable, runJourney } from './journey';

const parsed = (() => {
  try {
    return parseArgs({
      options: {
        quick: { type: 'boolean' },
        stages: { type: 'string' },
        out: { type: 'string' },
        resume: { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        long: { type: 'boolean' },
      },
    });
  } catch (error) {
    process.stderr.write(`journey: ${(error as Error).message.split(/\.\s/)[0]} (options: --quick, --stages 1,2,..., --out DIR, --resume, --quiet, --long)\n`);
    process.exit(2);
  }
})();
const { values } = parsed;
const stages = values.stages?.split(',').map((s) => Number(s.trim()));
if (stages?.some((s) => !Number.isInteger(s) || s < 1 || s > 7)) {
  process.stderr.write(`journey: --stages expects numbers from 1 to 7, got ${JSON.stringify(values.stages)}\n`);
  process.exit(2);
}
// pnpm runs scripts from the repo root; write the report where the user typed the command.
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
// --quiet: no progress or stage logs on stderr; the table and the report still come.
const quiet = values.quiet === true ? { log: () => {}, live: false } : {};
const results = await runJourney({ quick: values.quick, stages, outDir: values.out, resume: values.resume, long: values.long, ...quiet });
console.log(journeyTable(results));
console.log(`report: ${values.out ?? 'reports/journey'}/index.html`);
