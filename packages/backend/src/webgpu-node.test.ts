import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import { MODEL_NAMES } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import { initBackend } from './init-backend';
import { weightsAfterSgdSteps } from './test-utils/sgd-steps';
import { skipWebGpuTests } from './test-utils/webgpu-driver';
import { makeZooModel, ZOO_STEPS } from './test-utils/zoo-steps';
import { dawnBackendOrder, isSoftwareAdapter, SOFTWARE_ADAPTER_NOTE, SYNC_READ_ERROR } from './webgpu-node';

// WebGPU in Node on Dawn (the `webgpu` package). CI has no GPU: it runs on Mesa's llvmpipe through
// Dawn's OpenGL ES backend (root package.json installs libegl1 libgles2 libegl-mesa0 libegl-dev); Mesa 25's
// lavapipe through Vulkan runs in webgpu-node-lavapipe.test.ts (a child process given its
// environment). Reads are `await data()`: dataSync cannot read a GPU tensor in Node.

const skip = skipWebGpuTests('webgpu-node.test.ts');

async function values(make: () => tf.Tensor): Promise<Float32Array> {
  const t = make();
  const v = (await t.data()) as Float32Array;
  t.dispose();
  return v;
}

function maxRelativeError(ours: Float32Array, reference: Float32Array): number {
  expect(ours.length).toBe(reference.length);
  const scale = reference.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-3);
  return ours.reduce((m, v, j) => Math.max(m, Math.abs(v - reference[j])), 0) / scale;
}

describe('isSoftwareAdapter and dawnBackendOrder', () => {
  it('calls llvmpipe over OpenGL ES software although Dawn says it is no fallback adapter', () => {
    const llvmpipe = { vendor: '', architecture: '', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6' };
    expect(isSoftwareAdapter({ ...llvmpipe, isFallbackAdapter: false })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', architecture: '', device: 'lavapipe', description: '', isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'google', architecture: '', device: 'SwiftShader Device (Subzero)', description: '' })).toBe(true);
    expect(
      isSoftwareAdapter({ vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H100', description: 'NVIDIA: 550.54', isFallbackAdapter: false }),
    ).toBe(false);
  });

  it('tries Vulkan then OpenGL ES on Linux, Metal on macOS, D3D12 on Windows', () => {
    expect(dawnBackendOrder('linux')).toEqual(['vulkan', 'opengles']);
    expect(dawnBackendOrder('darwin')).toEqual(['metal']);
    expect(dawnBackendOrder('win32')).toEqual(['d3d12']);
  });

  it("tries only the backend DAWNNODE_BACKEND names (Dawn's own variable), and refuses an unknown one in one line", () => {
    expect(dawnBackendOrder('linux', { DAWNNODE_BACKEND: 'opengles' })).toEqual(['opengles']);
    expect(dawnBackendOrder('linux', { DAWNNODE_BACKEND: 'Vulkan' })).toEqual(['vulkan']);
    expect(dawnBackendOrder('linux', { DAWNNODE_BACKEND: '' })).toEqual(['vulkan', 'opengles']);
    expect(() => dawnBackendOrder('linux', { DAWNNODE_BACKEND: 'cuda' })).toThrow(
      /^DAWNNODE_BACKEND: expected one of vulkan, opengles, metal, d3d12, got "cuda"$/,
    );
  });
});

describe.skipIf(skip)('initBackend({ backend: "webgpu" }) in Node on a software adapter', () => {
  it('starts WebGPU, reports the adapter and says a software adapter is slow', async () => {
    const info = await initBackend({ backend: 'webgpu' });
    expect(tf.getBackend()).toBe('webgpu');
    expect(info).toMatchObject({ name: 'webgpu', requested: 'webgpu', package: '@tensorflow/tfjs-backend-webgpu', gpu: false, patchedKernels: [] });
    const adapter = info.webgpu;
    expect(adapter?.software).toBe(true);
    expect(['vulkan', 'opengles']).toContain(adapter?.dawnBackend);
    expect(`${adapter?.device} ${adapter?.description}`).toMatch(/llvmpipe|lavapipe|swiftshader/i);
    expect(adapter?.maxBufferSize).toBeGreaterThan(0);
    expect(adapter?.maxStorageBufferBindingSize).toBeGreaterThan(0);
    expect(info.reason).toMatch(/^requested; a software adapter on Dawn's (vulkan|opengles) backend$/);
    expect(adapter?.note).toBe(SOFTWARE_ADAPTER_NOTE);
    // Dawn backends tried before the one that gave an adapter are notes (Vulkan on a machine without a Vulkan driver).
    for (const note of info.notes) expect(note).toMatch(/^webgpu on Dawn's vulkan backend: /);
    // navigator.gpu was set up by initBackend, and a second call reuses it.
    expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeDefined();
    expect((await initBackend({ backend: 'webgpu' })).webgpu).toEqual(adapter);
  }, 60_000);

  it('computes small ops as the cpu backend does, and leaks no tensor', async () => {
    await initBackend({ backend: 'webgpu' });
    const ops: [string, () => tf.Tensor][] = [
      ['matMul', () => tf.matMul(tf.randomNormal([33, 70], 0, 1, 'float32', 1), tf.randomNormal([70, 19], 0, 1, 'float32', 2))],
      [
        'conv2d',
        () =>
          tf.conv2d(
            tf.randomNormal([2, 12, 12, 3], 0, 1, 'float32', 3) as tf.Tensor4D,
            tf.randomNormal([3, 3, 3, 8], 0, 1, 'float32', 4) as tf.Tensor4D,
            1,
            'same',
          ),
      ],
      ['softmax of relu', () => tf.softmax(tf.relu(tf.randomNormal([5, 10], 0, 1, 'float32', 5)))],
      ['mean and max', () => tf.stack([tf.mean(tf.randomNormal([100], 0, 1, 'float32', 6)), tf.max(tf.randomNormal([100], 0, 1, 'float32', 7))])],
    ];
    const before = tf.memory().numTensors;
    for (const [name, op] of ops) {
      await tf.setBackend('webgpu');
      const ours = await values(() => tf.tidy(op));
      expect(tf.memory().numTensors, name).toBe(before);
      await tf.setBackend('cpu');
      const reference = await values(() => tf.tidy(op));
      expect(maxRelativeError(ours, reference), name).toBeLessThan(1e-4);
    }
  }, 60_000);

  it("does not tell a Node user to start Chrome with a flag when the adapter has no 'timestamp-query'", async () => {
    await initBackend({ backend: 'webgpu' });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const x = tf.tensor1d([1, 2, 3]);
      const timing = await tf.time(() => tf.square(x).dispose());
      x.dispose();
      expect(timing.wallMs).toBeGreaterThanOrEqual(0);
      expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => /Chrome/.test(m))).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  }, 60_000);

  it('answers dataSync on a GPU tensor with one line saying to use await data(); CPU-resident values still read', async () => {
    await initBackend({ backend: 'webgpu' });
    const x = tf.tensor1d([1, 2, 3]);
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3]);
    const y = tf.square(x);
    expect(() => y.dataSync()).toThrow(SYNC_READ_ERROR);
    expect(() => y.arraySync()).toThrow(SYNC_READ_ERROR);
    expect(Array.from(await y.data())).toEqual([1, 4, 9]);
    tf.dispose([x, y]);
  }, 60_000);

  // Every zoo model by its registry name (ZOO_STEPS: real layer types, seeded dropout, small sizes).
  it.each(MODEL_NAMES)(
    '%s trains a few steps to the weights the cpu backend computes',
    async (name) => {
      const make = () => makeZooModel(name);
      const { shape } = ZOO_STEPS[name];
      expect((await initBackend({ backend: 'webgpu' })).name).toBe('webgpu');
      const ours = await weightsAfterSgdSteps(make, shape);
      await tf.setBackend('cpu');
      const reference = await weightsAfterSgdSteps(make, shape);
      expect(ours.length).toBe(reference.length);
      reference.forEach((r, i) => expect(maxRelativeError(ours[i], r), `weight ${i}`).toBeLessThan(1e-4));
    },
    120_000,
  );
});
