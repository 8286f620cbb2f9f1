import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PYTHON, pythonHas } from '../../core/src/test-utils/python';

// scripts/torch-bench.py, the PyTorch side of `fmnist bench` (and of scripts/gpu-check.sh).
const script = fileURLToPath(new URL('../../../scripts/torch-bench.py', import.meta.url));
const run = (...args: string[]) => spawnSync(PYTHON, [script, '--model', 'mlp-small', '--mode', 'infer', '--min-time', '0.001', ...args], { encoding: 'utf8' });
const hasCuda = () => spawnSync(PYTHON, ['-c', 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)']).status === 0;

describe.runIf(pythonHas('torch') || process.env.CI)('scripts/torch-bench.py', () => {
  it('prints the records it always printed on the cpu (no device field), with --device cpu and --batch too', () => {
    for (const [args, batch] of [
      [[], 1024],
      [['--device', 'cpu', '--batch', '16'], 16],
    ] as const) {
      const { status, stdout, stderr } = run(...args);
      expect(status, stderr).toBe(0);
      const records = stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(records).toHaveLength(1);
      expect(Object.keys(records[0])).toEqual(['model', 'mode', 'backend', 'batch', 'imagesPerSecond', 'msPerStep', 'peakRssMb']);
      expect(records[0]).toMatchObject({ model: 'mlp-small', mode: 'infer', backend: 'torch', batch });
    }
  });

  it.skipIf(hasCuda())('--device cuda without CUDA says so in one line and exits 1, printing no record', () => {
    const { status, stdout, stderr } = run('--device', 'cuda');
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toMatch(/^torch-bench: --device cuda: CUDA is not available \(torch [^,]+, .+\)$/);
  });
});

describe.runIf(pythonHas('torch') || process.env.CI)('scripts/torch-bench.py with_device', () => {
  // torch.cuda's calls stubbed: the CUDA record's fields without a GPU (the CPU record is unchanged).
  it('adds device, peakCudaMb, gpu and torch on cuda only', () => {
    const code = `
import importlib.util, json, sys, torch
spec = importlib.util.spec_from_file_location('tb', sys.argv[1]); tb = importlib.util.module_from_spec(spec); spec.loader.exec_module(tb)
torch.cuda.max_memory_allocated = lambda: 3 * 2**20
torch.cuda.reset_peak_memory_stats = lambda: None
torch.cuda.get_device_name = lambda i=0: 'Fake GPU'
print(json.dumps([tb.with_device({'model': 'cnn'}, False), tb.with_device({'model': 'cnn'}, True), torch.__version__]))`;
    const { status, stdout, stderr } = spawnSync(PYTHON, ['-c', code, script], { encoding: 'utf8' });
    expect(status, stderr).toBe(0);
    const [cpu, cuda, version] = JSON.parse(stdout) as [Record<string, unknown>, Record<string, unknown>, string];
    expect(cpu).toEqual({ model: 'cnn' });
    expect(cuda).toEqual({ model: 'cnn', device: 'cuda', peakCudaMb: 3, gpu: 'Fake GPU', torch: version });
  });
});
