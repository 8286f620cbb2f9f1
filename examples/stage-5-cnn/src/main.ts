import { run } from './stage';

const result = await run({ quick: process.argv.includes('--quick'), live: process.stderr.isTTY === true });
console.log(JSON.stringify({ stage: result.stage, testAccuracy: result.testAccuracy, referenceAccuracy: result.referenceAccuracy, met: result.met }));
