import { describe, expect, it, vi } from 'vitest';
import { cli } from '../test-utils/run-cli';

// Without the `webgpu` package (an optional peer), `doctor --backend webgpu` still reports, on the
// backend auto picks, with the reason and the fix. The mock names the package where @fmnist/backend
// resolves it (the CLI does not depend on it).
vi.mock('../../../backend/node_modules/webgpu', () => {
  throw new Error("Cannot find package 'webgpu' imported from webgpu-node.ts");
});

describe('fmnist doctor --backend webgpu without the webgpu package', () => {
  it('says why and how to fix it, then reports on the backend that runs instead; exit 1', async () => {
    const r = await cli('doctor', '--backend', 'webgpu');
    expect(r.code, r.err.join(' ')).toBe(1);
    expect(r.out.slice(0, 3)).toEqual([
      'webgpu:    not available - the webgpu package (Dawn) is not installed: it is an optional peer of @fmnist/backend',
      'fix:       npm i webgpu',
      expect.stringMatching(/^backend: {3}(wasm|tensorflow|cpu) \(.*\) - instead of webgpu: /),
    ]);
    expect(r.out.join('\n')).toMatch(/^data: {6}/m);
  }, 60_000);

  it('--json: webgpu is { available: false, problem, reason, fix }', async () => {
    const r = await cli('doctor', '--backend', 'webgpu', '--json');
    expect(r.code).toBe(1);
    expect(r.json().webgpu).toEqual({
      available: false,
      problem: 'package',
      reason: 'the webgpu package (Dawn) is not installed: it is an optional peer of @fmnist/backend',
      fix: 'npm i webgpu',
    });
  }, 60_000);
});
