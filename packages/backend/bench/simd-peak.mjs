// Ad-hoc: `node bench/simd-peak.mjs` compiles assembly/bench/simd-peak.ts and prints wasm SIMD's f32 GFLOP/s
// on one core: the ceiling any wasm kernel (ours, XNNPACK) works under, to set against PyTorch's AVX;
// with relaxed SIMD (our default build), also the fused multiply-add peak (f32x4.relaxed_madd).
// Run it on Node 20 or 22: Node 24's V8 compiles these 12 chains about 3x slower (measured 12 against
// 40 GFLOP/s on one AMD EPYC with AVX-512): a code-generation difference on this micro-benchmark.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
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
  'simd,relaxed-simd',
  '--outFile',
  out,
]);
const bytes = readFileSync(out);
// Node 20's V8 has relaxed SIMD behind a flag (our backend sets it the same way at start-up).
if (!WebAssembly.validate(bytes)) setFlagsFromString('--experimental-wasm-relaxed-simd');
const { peak, peakFma } = (await WebAssembly.instantiate(bytes)).instance.exports;
function best(run) {
  run(1e6);
  let top = 0;
  for (let r = 0; r < 5; r++) {
    const n = 2e7;
    const t0 = performance.now();
    run(n);
    const s = (performance.now() - t0) / 1000;
    top = Math.max(top, (n * 12 * 8) / s / 1e9);
  }
  return top;
}
console.log(`wasm SIMD f32 peak on one core: ${best(peak).toFixed(1)} GFLOP/s (12 chains of f32x4 mul + add)`);
console.log(`relaxed SIMD f32 FMA peak on one core: ${best(peakFma).toFixed(1)} GFLOP/s (12 chains of f32x4.relaxed_madd)`);
