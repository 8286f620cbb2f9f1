import { run } from './stage';

const result = await run({ quick: process.argv.includes('--quick'), long: process.argv.includes('--long'), live: process.stderr.isTTY === true });
console.log(JSON.stringify({ stage: result.stage, testAccuracy: result.testAccuracy, referenceAccuracy: result.referenceAccuracy, met: result.met }));
