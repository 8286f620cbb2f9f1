import type { ComparedResult } from '@fmnist/profiler';
import { describe, expect, it } from 'vitest';
import { formatProfile, stage7 } from './stage';

const result = (backend: string, mode: 'infer' | 'train', batch: number, p50: number, gpuBytes: number | null): ComparedResult => ({
  model: 'mlp_wide',
  mode,
  backend,
  batch,
  iterations: 5,
  latencyMs: { p50, p95: p50 * 2, p99: p50 * 3, mean: p50, std: 0, min: p50, max: p50 },
  msPerStep: p50,
  imagesPerSecond: (batch * 1000) / p50,
  pipelinedImagesPerSecond: mode === 'infer' ? (batch * 3000) / p50 : null,
  peakBytes: 5e6,
  retainedBytes: 0,
  peakRssMb: 297,
  gpuBytes,
  params: 669706,
  flopsPerImage: 669706,
  gflops: 1,
  peakFraction: 0.1,
  kernels: [],
  machine: { backend, tfjsVersion: '4.22.0', node: 'v20', cpu: 'cpu', cores: 2, memoryGb: 8, platform: 'linux-x64' },
  ratio: 1,
});

const llvmpipe = { name: 'llvmpipe-llvm-15-0-6-256-bits', software: true };

describe("stage 7's profile output", () => {
  it('prints the CPU-vs-GPU table of batches of 64, the software adapter labelled, CPU memory as RSS and GPU memory as GPU bytes', () => {
    const text = formatProfile(
      [
        result('wasm', 'infer', 1, 0.1, null),
        result('wasm', 'infer', 64, 0.5, null),
        result('wasm', 'train', 64, 2, null),
        { ...result('webgpu', 'infer', 64, 30, 16e6), device: llvmpipe },
        { ...result('webgpu', 'train', 64, 144, 48.1e6), device: llvmpipe },
      ],
      [{ backend: 'tensorflow', reason: '@tensorflow/tfjs-node is not installed' }],
    );
    const table = text.slice(text.indexOf('CPU vs GPU, per batch of 64:')).split('\n');
    expect(table[1]).toMatch(/^backend\s+mode\s+batch\s+p50 ms\s+p95 ms\s+images\/s\s+pipelined\s+memory$/);
    expect(table.slice(3)).toEqual([
      expect.stringMatching(/^wasm\s+infer\s+64\s+0\.50\s+1\.00\s+128,000\s+384,000\s+297 MB RSS$/),
      expect.stringMatching(/^wasm\s+train\s+64\s+2\.00\s+4\.00\s+32,000\s+-\s+297 MB RSS$/),
      expect.stringMatching(/^webgpu \(software: llvmpipe-llvm-15-0-6-256-bits\)\s+infer\s+64\s+30\.00\s+60\.00\s+2,133\s+6,400\s+16\.0 MB GPU$/),
      expect.stringMatching(/^webgpu \(software: llvmpipe-llvm-15-0-6-256-bits\)\s+train\s+64\s+144\.00\s+288\.00\s+444\s+-\s+48\.1 MB GPU$/),
      'tensorflow: not available: @tensorflow/tfjs-node is not installed',
    ]);
    // The full table above it keeps every batch size.
    expect(text).toMatch(/^\| mlp_wide \| infer \| wasm \| 1 \|/m);
  });

  it('says WebGPU is not available, with the reason, where no row could be measured for it', () => {
    const text = formatProfile(
      [result('wasm', 'infer', 64, 0.5, null)],
      [{ backend: 'webgpu', reason: 'no WebGPU adapter: install libegl1 libgles2 libegl-mesa0' }],
    );
    expect(text.split('\n').at(-1)).toBe('webgpu: not available: no WebGPU adapter: install libegl1 libgles2 libegl-mesa0');
    expect(text).not.toMatch(/^webgpu\s/m);
  });

  it('tries WebGPU beside the CPU backends, briefly on a software adapter', () => {
    for (const size of ['quick', 'full'] as const) {
      const { profile } = stage7.plan(size).steps;
      expect(profile.backends).toContain('webgpu');
      expect(profile.softwareAdapter).toEqual({ batchSizes: [64], minTimeMs: 0, warmup: 1 });
    }
  });
});
