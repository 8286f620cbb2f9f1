// `pnpm example <n> [--quick] [--long]`: runs stage n's example app (--long: stage 6's long recipe).
import { journeyTable, runJourney } from '../examples/journey/src/index';

const n = Number(process.argv[2]);
if (!Number.isInteger(n) || n < 1 || n > 7) {
  process.stderr.write('usage: pnpm example <stage 1-7> [--quick] [--long]\n');
  process.exit(2);
}
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
const results = await runJourney({ stages: [n], quick: process.argv.includes('--quick'), long: process.argv.includes('--long'), outDir: `reports/stage-${n}` });
console.log(journeyTable(results));
