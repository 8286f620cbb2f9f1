import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFashionMnist } from '@fmnist/data';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastBatchNormalization } from '../fast-batch-normalization';
import { ModelError } from '../model-error';
import { createModel } from '../registry';
import { seededDropout } from '../seeded-dropout';
import { SimpleNN } from '../simple-nn';
import { useCpu } from '../test-setup';
import { replaceHead } from '../transfer';
import { exportOnnx } from './export-onnx';
import { loadOnnxProto } from './load-onnx-proto';
import { type OnnxExportOptions, toOnnx } from './to-onnx';
import { PYTHON, pythonHas } from '../../../core/src/test-utils/python';

beforeAll(useCpu);
const dir = mkdtempSync(join(tmpdir(), 'fmnist-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COUNT = 16;

/** Real test images where the data is installed (CI), else deterministic noise: [COUNT, 28, 28] in [0, 1]. */
async function testImages(): Promise<Float32Array> {
  try {
    const test = await loadFashionMnist({ split: 'test', download: false });
    return Float32Array.from(test.images.subarray(0, COUNT * 784), (p) => p / 255);
  } catch {
    return Float32Array.from({ length: COUNT * 784 }, (_, i) => ((i * 2654435761) % 1000) / 1000);
  }
}

/** Batch norm at its initial statistics is an identity; give every one real-looking statistics. */
function perturbBatchNorms(model: tfl.LayersModel, seed: number): void {
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const values = layer.weights.map((w, i) =>
      tf.tidy(() => {
        const u = tf.randomUniform(w.shape as number[], 0, 1, 'float32', seed + i);
        const kind = w.originalName.split('/').pop() as string;
        const ranges: Record<string, [number, number]> = { gamma: [0.8, 1.2], beta: [-0.1, 0.1], moving_mean: [-0.2, 0.2], moving_variance: [0.5, 1.5] };
        const [low, high] = ranges[kind];
        return tf.add(low, tf.mul(u, high - low));
      }),
    );
    layer.setWeights(values);
    tf.dispose(values);
  }
}

/** Runs the exported model in ONNX Runtime on NHWC (or flat) pixels, laid out as the export asked. */
async function runOnnx(bytes: Uint8Array, x: tf.Tensor, layout: 'nchw' | 'nhwc' = 'nchw'): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const fed = x.rank === 4 && layout === 'nchw' ? tf.transpose(x, [0, 3, 1, 2]) : x;
  const input = new ort.Tensor('float32', new Float32Array(await fed.data()), fed.shape);
  if (fed !== x) fed.dispose();
  const out = await session.run({ [session.inputNames[0]]: input });
  await session.release();
  return out[session.outputNames[0]].data as Float32Array;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

async function compare(model: tfl.LayersModel, x: tf.Tensor, options: OnnxExportOptions = {}): Promise<number> {
  const before = tf.memory().numTensors;
  const bytes = await toOnnx(model, options);
  expect(tf.memory().numTensors, 'tensors left by toOnnx').toBe(before);
  const expected = tf.tidy(() => model.predict(x) as tf.Tensor);
  const want = (await expected.data()) as Float32Array;
  expected.dispose();
  return maxAbsDiff(await runOnnx(bytes, x, options.inputLayout), want);
}

function zooModels(): [string, tfl.LayersModel][] {
  const cnn = createModel('cnn', { seed: 3 });
  return [
    ['mlp-small', createModel('mlp-small', { seed: 1 })],
    ['mlp-wide', createModel('mlp-wide', { seed: 2 })],
    ['mlp with batch norm, elu, dropout', createModel('mlp', { hidden: [64, 32], batchNorm: true, activation: 'elu', dropout: 0.3, seed: 4 })],
    ...(['selu', 'tanh', 'sigmoid', 'swish'] as const).map((activation, i): [string, tfl.LayersModel] => [
      `dynamic-mlp ${activation}`,
      createModel('dynamic-mlp', { nLayers: 2, width: 48, dropout: 0.2, activation, seed: 5 + i }),
    ]),
    ['cnn', cnn],
    ['vgg-style', createModel('vgg-style', { seed: 9 })],
    ['cnn with a new head (transfer)', replaceHead(createModel('cnn', { seed: 10 }), { classes: 5, hidden: [32], seed: 11 })],
  ];
}

// Graph building does not depend on Node's version, and ONNX Runtime's addon is on Node-API (stable across versions): not rerun on the Node legs.
describe.skipIf(process.env.FMNIST_NODE_LEG)('toOnnx: every zoo model runs in ONNX Runtime with the outputs of tfjs', () => {
  it('matches tfjs within 1e-4 on test images, folding batch norm or not, and leaves no tensors', async () => {
    const pixels = await testImages();
    for (const [name, model] of zooModels()) {
      perturbBatchNorms(model, 7);
      const flat = model.inputs[0].shape.length === 2;
      const x = tf.tensor(pixels, flat ? [COUNT, 784] : [COUNT, 28, 28, 1]);
      for (const foldBatchNorm of [true, false]) {
        const diff = await compare(model, x, { foldBatchNorm });
        expect(diff, `${name}, foldBatchNorm ${foldBatchNorm}`).toBeLessThan(1e-4);
      }
      x.dispose();
      model.dispose();
    }
  }, 120_000);

  it('gets layouts right: several channels, NHWC or NCHW input, valid padding, strides, pooling kinds, a flatten read by batch norm or returned', async () => {
    const input = tfl.input({ shape: [9, 7, 3] });
    let h = tfl.layers.conv2d({ filters: 5, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'relu6' }).apply(input) as tfl.SymbolicTensor;
    h = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'valid', useBias: false }).apply(h) as tfl.SymbolicTensor;
    h = fastBatchNormalization({ scale: false }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.leakyReLU({ alpha: 0.2 }).apply(h) as tfl.SymbolicTensor;
    const pooled = tfl.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }).apply(h) as tfl.SymbolicTensor;
    const flat = tfl.layers.flatten().apply(pooled) as tfl.SymbolicTensor;
    const normed = fastBatchNormalization({}).apply(flat) as tfl.SymbolicTensor;
    const head = tfl.layers
      .dense({ units: 6, activation: 'softmax' })
      .apply(seededDropout(0.5, 'drop').apply(normed) as tfl.SymbolicTensor) as tfl.SymbolicTensor;
    const features = tfl.model({ inputs: input, outputs: flat });
    const classifier = tfl.model({ inputs: input, outputs: head });
    const gap = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [9, 7, 3], filters: 4, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'mish' }),
        tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
        tfl.layers.globalAveragePooling2d({}),
      ],
    });
    perturbBatchNorms(classifier, 3);
    const x = tf.randomUniform([4, 9, 7, 3], 0, 1, 'float32', 1);
    for (const model of [features, classifier, gap])
      for (const inputLayout of ['nchw', 'nhwc'] as const) expect(await compare(model, x, { inputLayout }), `${model.name} ${inputLayout}`).toBeLessThan(1e-5);
    x.dispose();
  });

  it("exports stage 1's SimpleNN (raw variables, no layers) as one probability per image", async () => {
    const model = new SimpleNN({ seed: 2 });
    const x = tf.tensor(await testImages(), [COUNT, 784]);
    const session = await ort.InferenceSession.create(await toOnnx(model));
    expect(session.outputNames).toEqual(['probability']);
    const out = await session.run({ input: new ort.Tensor('float32', x.dataSync() as Float32Array, [COUNT, 784]) });
    const p = model.forward(x);
    expect(out.probability.dims).toEqual([COUNT]);
    expect(maxAbsDiff(out.probability.data as Float32Array, p.dataSync() as Float32Array)).toBeLessThan(1e-6);
    await session.release();
    tf.dispose([x, p]);
    model.dispose();
  });

  it('writes the input convention and class names into metadata_props, and the file atomically', async () => {
    const model = createModel('cnn', { seed: 1 });
    const classes = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
    const path = join(dir, 'cnn.onnx');
    writeFileSync(path, 'an older file');
    await exportOnnx(model, path, {
      metadata: { model: 'cnn', classes, input: { layout: 'image', height: 28, width: 28, channels: 1, normalize: { mean: 0.286, std: 0.353 } } },
    });
    const session = await ort.InferenceSession.create(readFileSync(path));
    expect(session.inputNames).toEqual(['input']);
    expect(session.outputNames).toEqual(['logits']);
    await session.release();
    const decoded = loadOnnxProto().ModelProto.decode(readFileSync(path));
    const props = Object.fromEntries(decoded.metadataProps.map((p) => [p.key, p.value]));
    expect(JSON.parse(props.classes)).toEqual(classes);
    expect(JSON.parse(props.input_shape)).toEqual([-1, 1, 28, 28]);
    expect(props.input_layout).toBe('NCHW');
    expect(Number(props.input_mean)).toBe(0.286);
    expect(Number(props.input_std)).toBe(0.353);
    expect(Number(props.input_scale)).toBeCloseTo(1 / 255, 12);
    expect(Number(decoded.opsetImport[0].version)).toBe(13);
    // Dropout is gone and batch norm folded: no node of either kind.
    expect((decoded.graph?.node ?? []).map((n) => n.opType)).not.toContain('BatchNormalization');
    expect((decoded.graph?.node ?? []).map((n) => n.opType)).not.toContain('Dropout');
    model.dispose();
  });

  it('names a layer it cannot export, and the optional package when it is missing', async () => {
    const unsupported = tfl.sequential({ layers: [tfl.layers.upSampling2d({ size: [2, 2], inputShape: [4, 4, 1] })] });
    await expect(toOnnx(unsupported)).rejects.toThrow(/^layer up_sampling2d\w* \(UpSampling2D\): cannot be exported to ONNX; supported layers: Dense, Conv2D/);
    await expect(toOnnx(unsupported)).rejects.toBeInstanceOf(ModelError);
    const notFound = () => {
      throw Object.assign(new Error("Cannot find module 'onnx-proto'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => loadOnnxProto(notFound)).toThrow('ONNX export needs the optional package onnx-proto (npm i onnx-proto)');
    const model = createModel('mlp-small');
    await expect(toOnnx(model, { inputLayout: 'nhcw' as 'nhwc' })).rejects.toThrow(/inputLayout: expected 'nchw' or 'nhwc', got "nhcw"/);
    // Input steps the metadata cannot carry are refused by name, not dropped.
    const metadata = {
      model: 'mlp-small',
      input: { layout: 'flat' as const, height: 28, width: 28, channels: 1, normalize: 'unit' as const, preprocessing: ['Normalize(mean=[0.1,0.2])'] },
    };
    await expect(toOnnx(model, { metadata })).rejects.toThrow(
      /its input needs Normalize\(mean=\[0\.1,0\.2\]\), which the ONNX metadata \(input_mean, input_std\) cannot describe/,
    );
    model.dispose();
  });
});

const python = PYTHON;
const hasOnnx = pythonHas('onnx');

// CI installs Debian's python3-onnx; there the test must run (no silent skip).
describe.runIf(hasOnnx || process.env.CI)("the ONNX project's own checker accepts every export", () => {
  it('passes onnx.checker.check_model(full_check=True) for every zoo model', async () => {
    const paths: string[] = [];
    for (const [name, model] of zooModels()) {
      const path = join(dir, `${name.replace(/\W+/g, '_')}.onnx`);
      await exportOnnx(model, path, { foldBatchNorm: name !== 'cnn' });
      paths.push(path);
      model.dispose();
    }
    const simple = new SimpleNN();
    paths.push(join(dir, 'simple_nn.onnx'));
    await exportOnnx(simple, paths[paths.length - 1]);
    simple.dispose();
    const out = execFileSync(
      python,
      ['-c', 'import sys, onnx\nfor p in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(p), full_check=True)\nprint(len(sys.argv) - 1)', ...paths],
      { encoding: 'utf8' },
    );
    expect(out.trim()).toBe(String(paths.length));
  }, 60_000);
});
