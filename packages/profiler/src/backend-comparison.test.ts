import { describe, expect, it } from 'vitest';
import { formatBackendComparison } from './backend-comparison';
import { adapterDevice, backendLabel } from './backend-device';
import type { ProfileResult } from './profile-model';

const result = (backend: string, batch: number, p50: number, gpuBytes: number | null): ProfileResult => ({
  model: 'mlp-wide',
  mode: 'infer',
  backend,
  batch,
  iterations: 5,
  latencyMs: { p50, p95: p50 * 1.5, p99: p50 * 2, mean: p50, std: 0, min: p50, max: p50 },
  msPerStep: p50,
  imagesPerSecond: (batch * 1000) / p50,
  pipelinedImagesPerSecond: (batch * 2000) / p50,
  peakBytes: 1e6,
  retainedBytes: 0,
  peakRssMb: 312,
  gpuBytes,
  params: 669706,
  flopsPerImage: 1,
  gflops: 1,
  peakFraction: 0.5,
  kernels: [],
  machine: { backend, tfjsVersion: '4.22.0', node: 'v20', cpu: 'cpu', cores: 2, memoryGb: 8, platform: 'linux-x64' },
});

const llvmpipe = { vendor: '', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6', software: true };

describe('the CPU-vs-GPU table', () => {
  it('labels a software adapter, shows RSS for CPU backends and GPU bytes for WebGPU, at the batch asked for', () => {
    const rows = [result('wasm', 64, 0.5, null), result('wasm', 1024, 5, null), { ...result('webgpu', 64, 4, 5_242_880), device: adapterDevice(llvmpipe) }];
    const lines = formatBackendComparison(rows, { batch: 64 }).split('\n');
    expect(lines[0]).toMatch(/^backend\s+mode\s+batch\s+p50 ms\s+p95 ms\s+images\/s\s+pipelined\s+memory$/);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^wasm\s+infer\s+64\s+0\.50\s+0\.75\s+128,000\s+256,000\s+312 MB RSS$/);
    expect(lines[3]).toMatch(/^webgpu \(software: llvmpipe-llvm-15-0-6-256-bits\)\s+infer\s+64\s+4\.00\s+6\.00\s+16,000\s+32,000\s+5\.2 MB GPU$/);
  });

  it('says why a backend is missing, in one line, instead of a blank row', () => {
    const text = formatBackendComparison([result('wasm', 64, 0.5, null)], {
      unavailable: [{ backend: 'webgpu', reason: 'the optional package webgpu is not installed: npm i webgpu@0.6.2\n    at initBackend' }],
    });
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('webgpu: not available: the optional package webgpu is not installed: npm i webgpu@0.6.2');
    // Nothing measured at all: only the lines saying why.
    expect(formatBackendComparison([], { unavailable: [{ backend: 'webgpu', reason: 'no adapter' }] })).toBe('webgpu: not available: no adapter');
  });

  it('names a hardware adapter without the software mark, and a result without a device by its label', () => {
    expect(backendLabel({ backend: 'webgpu', device: adapterDevice({ vendor: 'nvidia', device: 'NVIDIA H100', description: '', software: false }) })).toBe(
      'webgpu (NVIDIA H100)',
    );
    expect(adapterDevice({ vendor: 'mesa', device: '', description: '', software: true }).name).toBe('mesa');
    expect(backendLabel({ backend: 'wasm' })).toBe('wasm');
  });
});
