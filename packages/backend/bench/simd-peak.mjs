// Ad-hoc: `node bench/simd-peak.mjs` compiles assembly/bench/simd-peak.ts and prints wasm SIMD's f32 GFLOP/s
// on one core: the ceiling any wasm kernel (ours, XNNPACK) works under, to set against PyTorch's AVX.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const asc = join(dirname(createRequire(import.meta.url).resolve('assemblyscript/package.json')), 'bin/asc.js');
const out = join(tmpdir(), 'fmnist-simd-peak.wasm');
execFileSync(process.execPath, [
  asc,
  join(here, '../assembly/bench/simd-peak.ts'),
  '-O3',
  '--runtime',
  'stub',
  '--noAssert',
  '--enable',
  'simd',
  '--outFile',
  out,
]);
const { peak } = (await WebAssembly.instantiate(readFileSync(out))).instance.exports;
peak(1e6);
let best = 0;
for (let r = 0; r < 5; r++) {
  const n = 2e7;
  const t0 = performance.now();
  peak(n);
  const s = (performance.now() - t0) / 1000;
  best = Math.max(best, (n * 12 * 8) / s / 1e9);
}
console.log(`wasm SIMD f32 peak on one core: ${best.toFixed(1)} GFLOP/s (12 chains of f32x4 mul + add)`);
