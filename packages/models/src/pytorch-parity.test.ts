// The zoo against PyTorch itself (Debian's python3-torch): parameter counts, initialisation,
// eval and train forward passes with our weights, batch-norm running statistics, dropout's scaling
// and SimpleNN's BCE and gradients. Python runs once for the whole file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ImageDataset, loadFashionMnist } from '@fmnist/data';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countParams } from './model-stats';
import { createModel } from './registry';
import { dropoutMultiplier, seededDropout, setDropoutStream } from './seeded-dropout';
import { DropoutStream, seedDropout } from './seeds';
import { SimpleNN } from './simple-nn';
import { useCpu } from './test-setup';
import { PYTHON, pythonHas } from '../../core/src/test-utils/python';

const python = PYTHON;
const hasTorch = pythonHas('torch');

/** The modules the original notebooks write, and what the script computes with them. */
const SCRIPT = `
import json, math, sys
import numpy as np
import torch
import torch.nn as nn

spec = json.load(open(sys.argv[1]))
buf = np.fromfile(sys.argv[2], dtype='<f4')

def get(ref):
    n = int(np.prod(ref['shape']))
    return torch.from_numpy(buf[ref['offset']:ref['offset'] + n].reshape(ref['shape']).copy())

def floats(t):
    return t.detach().double().reshape(-1).tolist()

ACT = {'relu': nn.ReLU, 'elu': nn.ELU, 'selu': nn.SELU, 'tanh': nn.Tanh, 'sigmoid': nn.Sigmoid, 'swish': nn.SiLU}

def mlp(hidden, bn=False, p=0.0, act='relu', inputs=784, classes=10):
    rates = p if isinstance(p, list) else [p] * len(hidden)
    layers, fan_in = [], inputs
    for width, rate in zip(hidden, rates):
        layers.append(nn.Linear(fan_in, width))
        if bn:
            layers.append(nn.BatchNorm1d(width))
        layers.append(ACT[act]())
        if rate > 0:
            layers.append(nn.Dropout(rate))
        fan_in = width
    layers.append(nn.Linear(fan_in, classes))
    return nn.Sequential(*layers)

def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.4),
        nn.Linear(128, 64), nn.ReLU(), nn.Dropout(0.4),
        nn.Linear(64, 10))

def vgg():
    def block(cin, cout):
        return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2)]
    return nn.Sequential(*block(1, 64), *block(64, 128), nn.Flatten(),
                         nn.Linear(128 * 7 * 7, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))

BN = (nn.BatchNorm1d, nn.BatchNorm2d)
KIND = {nn.Linear: 'Dense', nn.Conv2d: 'Conv2D', nn.BatchNorm1d: 'BatchNormalization', nn.BatchNorm2d: 'BatchNormalization'}

def init_stats(model):
    out = []
    gain = nn.init.calculate_gain('leaky_relu', math.sqrt(5))  # kaiming_uniform_(a=sqrt(5)), as reset_parameters
    for m in model:
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            fan_in, _ = nn.init._calculate_fan_in_and_fan_out(m.weight)
            out.append({'kind': KIND[type(m)], 'fanIn': fan_in,
                        'weightBound': gain * math.sqrt(3.0 / fan_in), 'biasBound': 1 / math.sqrt(fan_in),
                        'weightStd': m.weight.std().item(), 'biasStd': m.bias.std().item()})
        elif isinstance(m, BN):
            out.append({'kind': 'BatchNormalization', 'momentum': m.momentum, 'eps': m.eps,
                        'values': [sorted(set(floats(t))) for t in (m.weight, m.bias, m.running_mean, m.running_var)]})
    return out

def run_case(case):
    torch.manual_seed(0)
    model = eval(case['torch'])
    x = get(case['input'])
    if x.dim() == 4:
        x = x.permute(0, 3, 1, 2)  # NHWC -> NCHW
    result = {'init': init_stats(model),
              'trainable': sum(p.numel() for p in model.parameters() if p.requires_grad),
              'buffers': sum(m.running_mean.numel() + m.running_var.numel() for m in model if isinstance(m, BN))}
    # Our weights: Dense [in, out] -> Linear [out, in]; Conv2D HWIO -> OIHW; the Linear after Flatten
    # reads tfjs's (h, w, c) order, torch's is (c, h, w).
    model.eval()
    shapes, h = [], x[:1]
    with torch.no_grad():
        for m in model:
            shapes.append(tuple(h.shape[1:]))
            h = m(h)
    ours = iter(case['weights'])
    flat = None
    with torch.no_grad():
        for m, shape in zip(model, shapes):
            if isinstance(m, nn.Flatten):
                flat = shape
            if type(m) not in KIND:
                continue
            layer = next(ours)
            if layer['kind'] != KIND[type(m)]:
                raise SystemExit('layer %s: ours is %s, torch has %s' % (layer['name'], layer['kind'], type(m).__name__))
            t = [get(r) for r in layer['tensors']]
            if isinstance(m, nn.Conv2d):
                m.weight.copy_(t[0].permute(3, 2, 0, 1)); m.bias.copy_(t[1])
            elif isinstance(m, nn.Linear):
                k = t[0]
                if flat is not None:
                    c, hh, ww = flat
                    k = k.reshape(hh, ww, c, -1).permute(3, 2, 0, 1).reshape(k.shape[1], -1)
                    flat = None
                else:
                    k = k.t()
                m.weight.copy_(k); m.bias.copy_(t[1])
            else:
                m.weight.copy_(t[0]); m.bias.copy_(t[1]); m.running_mean.copy_(t[2]); m.running_var.copy_(t[3])
        if next(ours, None) is not None:
            raise SystemExit('%s: ours has more layers with weights than torch' % case['name'])
        result['evalLogits'] = floats(model(x))
        # Training mode: batch statistics, running statistics updated once, and our dropout masks.
        model.train()
        masks = iter([get(r) for r in case['masks']])
        h = x
        for m in model:
            h = h * next(masks) if isinstance(m, nn.Dropout) else m(h)
        result['trainLogits'] = floats(h)
        result['runningStats'] = [[floats(m.running_mean), floats(m.running_var)] for m in model if isinstance(m, BN)]
    return result

def dropout(p):
    torch.manual_seed(0)
    layer = nn.Dropout(p)
    y = layer.train()(torch.ones(100000))
    return {'p': p, 'values': sorted(set(floats(y))), 'kept': (y != 0).double().mean().item(),
            'evalIdentity': bool(torch.equal(layer.eval()(torch.ones(10)), torch.ones(10)))}

def simple(case):
    x, y, W, b = (get(case[k]) for k in ('x', 'y', 'W', 'b'))
    lin = nn.Linear(W.shape[0], 1)
    with torch.no_grad():
        lin.weight.copy_(W.t()); lin.bias.copy_(b)
    z = lin(x).reshape(-1)
    p = torch.sigmoid(z)
    loss = nn.BCELoss()(p, y)
    dW, db = torch.autograd.grad(loss, [lin.weight, lin.bias])
    z = lin(x).reshape(-1)
    logits_loss = nn.BCEWithLogitsLoss()(z, y)
    lW, lb = torch.autograd.grad(logits_loss, [lin.weight, lin.bias])
    return {'p': floats(p), 'loss': loss.item(), 'dW': floats(dW), 'db': floats(db),
            'logitsLoss': logits_loss.item(), 'logitsDW': floats(lW), 'logitsDb': floats(lb)}

print(json.dumps({'cases': {c['name']: run_case(c) for c in spec['cases']},
                  'dropout': [dropout(p) for p in spec['dropoutRates']],
                  'simple': {c['name']: simple(c) for c in spec['simple']},
                  'torch': torch.__version__}))
`;

interface Ref {
  offset: number;
  shape: number[];
}

/** Float32 tensors for Python, packed in one little-endian file. */
class Pack {
  private parts: Float32Array[] = [];
  private size = 0;
  add(t: tf.Tensor): Ref {
    const data = t.dataSync() as Float32Array;
    const ref = { offset: this.size, shape: t.shape };
    this.parts.push(Float32Array.from(data));
    this.size += data.length;
    return ref;
  }
  bytes(): Uint8Array {
    const all = new Float32Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      all.set(p, at);
      at += p.length;
    }
    return new Uint8Array(all.buffer);
  }
}

interface ZooCase {
  name: string;
  /** The PyTorch module, as the notebooks write it (a call into the script's builders). */
  torch: string;
  create: () => tfl.LayersModel;
  layout: 'flat' | 'image';
  images: number;
}

const CASES: ZooCase[] = [
  { name: 'mlp-small', torch: 'mlp([128, 64])', create: () => createModel('mlp-small', { seed: 1 }), layout: 'flat', images: 32 },
  { name: 'mlp-wide', torch: 'mlp([512, 512])', create: () => createModel('mlp-wide', { seed: 2 }), layout: 'flat', images: 32 },
  {
    name: 'mlp (batch norm, dropout)',
    torch: 'mlp([64, 32], bn=True, p=[0.3, 0.5])',
    create: () => createModel('mlp', { hidden: [64, 32], batchNorm: true, dropout: [0.3, 0.5], seed: 3 }),
    layout: 'flat',
    images: 32,
  },
  {
    name: 'dynamic-mlp (defaults)',
    torch: 'mlp([256, 256], p=0.2)',
    create: () => createModel('dynamic-mlp', { nLayers: 2, width: 256, dropout: 0.2 }),
    layout: 'flat',
    images: 32,
  },
  ...(['elu', 'selu', 'tanh', 'sigmoid', 'swish'] as const).map(
    (activation, i): ZooCase => ({
      name: `dynamic-mlp (${activation}, batch norm)`,
      torch: `mlp([96, 48, 24], bn=True, p=0.25, act='${activation}')`,
      create: () => createModel('dynamic-mlp', { nLayers: 3, width: [96, 48, 24], dropout: 0.25, batchNorm: true, activation, seed: 10 + i }),
      layout: 'flat',
      images: 32,
    }),
  ),
  { name: 'cnn', torch: 'cnn()', create: () => createModel('cnn', { seed: 5 }), layout: 'image', images: 8 },
  { name: 'vgg-style', torch: 'vgg()', create: () => createModel('vgg-style', { seed: 6 }), layout: 'image', images: 4 },
];

const DROPOUT_RATES = [0.2, 0.4, 0.5];

interface LayerInit {
  kind: string;
  fanIn: number;
  weightBound: number;
  biasBound: number;
  weightStd: number;
  biasStd: number;
  momentum: number;
  eps: number;
  values: number[][];
}

interface TorchCase {
  init: LayerInit[];
  trainable: number;
  buffers: number;
  evalLogits: number[];
  trainLogits: number[];
  runningStats: [number[], number[]][];
}

interface TorchSimple {
  p: number[];
  loss: number;
  dW: number[];
  db: number[];
  logitsLoss: number;
  logitsDW: number[];
  logitsDb: number[];
}

interface TorchResult {
  cases: Record<string, TorchCase>;
  dropout: { p: number; values: number[]; kept: number; evalIdentity: boolean }[];
  simple: Record<string, TorchSimple>;
  torch: string;
}

/** What our side computed, before and after one training forward pass. */
interface OurCase {
  trainable: number;
  nonTrainable: number;
  /** Initial weights of every Dense / Conv2D / BatchNormalization layer, in order. */
  init: { name: string; kind: string; tensors: Float32Array[] }[];
  evalLogits: Float32Array;
  trainLogits: Float32Array;
  runningStats: [Float32Array, Float32Array][];
  /** The batch-norm layers' momentum and epsilon, as tfjs-layers reads them. */
  bnConfig: { momentum: number; epsilon: number }[];
}

interface OurSimple {
  x: tf.Tensor2D;
  y: tf.Tensor1D;
  loss: number;
  dW: Float32Array;
  db: Float32Array;
  /** tfjs's autodiff of SimpleNN.loss. */
  autoDW: Float32Array;
  autoDb: Float32Array;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const maxAbs = (a: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};
const std = (a: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i];
  const mean = sum / a.length;
  let ss = 0;
  for (let i = 0; i < a.length; i++) ss += (a[i] - mean) ** 2;
  return Math.sqrt(ss / (a.length - 1));
};

/** The first n test images as the zoo takes them: pixels / 255, [n, 784] or [n, 28, 28, 1]. */
function images(data: ImageDataset, n: number, layout: 'flat' | 'image'): tf.Tensor {
  return tf.tidy(() => {
    const x = tf.div(tf.tensor(data.images.subarray(0, n * 784), [n, 784], 'float32'), 255);
    return layout === 'flat' ? x : tf.reshape(x, [n, 28, 28, 1]);
  });
}

// CI installs Debian's python3-torch; there the test must run (no silent skip).
describe.runIf(hasTorch || process.env.CI)('the zoo against PyTorch (torch.nn modules with our weights)', () => {
  let torch: TorchResult;
  const ours = new Map<string, OurCase>();
  const simple = new Map<string, OurSimple>();
  let tensorsBefore = 0;
  let tensorsAfter = 0;

  beforeAll(async () => {
    await useCpu();
    const data = await loadFashionMnist({ split: 'test', download: false });
    tensorsBefore = tf.memory().numTensors;
    const pack = new Pack();
    const spec: { cases: unknown[]; dropoutRates: number[]; simple: unknown[] } = { cases: [], dropoutRates: DROPOUT_RATES, simple: [] };

    CASES.forEach((c, caseIndex) => {
      const model = c.create();
      const x = images(data, c.images, c.layout);
      const layers = model.layers.filter((l) => l.getWeights().length > 0);
      const init = layers.map((l) => ({ name: l.name, kind: l.getClassName(), tensors: l.getWeights().map((w) => Float32Array.from(w.dataSync())) }));
      // Batch norm away from its initial values (else gamma 1, beta 0, mean 0, var 1 hide mistakes).
      layers
        .filter((l) => l.getClassName() === 'BatchNormalization')
        .forEach((l, i) => {
          const units = l.getWeights()[0].shape;
          const seed = 1000 * caseIndex + 10 * i;
          const values = [
            tf.randomUniform(units, 0.5, 1.5, 'float32', seed),
            tf.randomUniform(units, -0.5, 0.5, 'float32', seed + 1),
            tf.randomUniform(units, -0.3, 0.3, 'float32', seed + 2),
            tf.randomUniform(units, 0.5, 2, 'float32', seed + 3),
          ];
          l.setWeights(values);
          tf.dispose(values);
        });
      const weights = layers.map((l) => ({ name: l.name, kind: l.getClassName(), tensors: l.getWeights().map((w) => pack.add(w)) }));
      const evalLogits = tf.tidy(() => model.apply(x, { training: false }) as tf.Tensor);
      // One training forward pass; the same dropout masks go to PyTorch.
      setDropoutStream(model, new DropoutStream(77 + caseIndex));
      const replay = new DropoutStream(77 + caseIndex);
      const masks = model.layers
        .filter((l) => l.getClassName() === 'Dropout')
        .map((l) => {
          const shape = (l.input as tfl.SymbolicTensor).shape.map((d) => d ?? c.images);
          const mask = dropoutMultiplier(shape, (l.getConfig() as { rate: number }).rate, replay.next());
          const ref = pack.add(mask);
          mask.dispose();
          return ref;
        });
      const trainLogits = tf.tidy(() => model.apply(x, { training: true }) as tf.Tensor);
      const bns = model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
      ours.set(c.name, {
        ...countParams(model),
        init,
        evalLogits: evalLogits.dataSync() as Float32Array,
        trainLogits: trainLogits.dataSync() as Float32Array,
        runningStats: bns.map((l) => {
          const w = l.getWeights();
          return [w[2].dataSync() as Float32Array, w[3].dataSync() as Float32Array];
        }),
        bnConfig: bns.map((l) => l.getConfig() as { momentum: number; epsilon: number }),
      });
      spec.cases.push({ name: c.name, torch: c.torch, input: pack.add(x), weights, masks });
      tf.dispose([x, evalLogits, trainLogits]);
      model.dispose();
    });

    // Stage 1: a real batch (sneaker vs the rest, seed weights), and logits pushed to where
    // sigmoid rounds to 0 or 1 in float32 (z = ±20, ±120) or gets very small (z = -20, -30).
    const n = 64;
    const labels = tf.tensor1d(
      Array.from(data.labels.subarray(0, n), (l) => (l === 7 ? 1 : 0)),
      'float32',
    );
    const batches: { name: string; x: tf.Tensor2D; y: tf.Tensor1D; net: SimpleNN }[] = [];
    batches.push({ name: 'real', x: images(data, n, 'flat') as tf.Tensor2D, y: labels, net: new SimpleNN({ seed: 0 }) });
    const zs = [-120, -30, -20, -5, 0, 5, 20, 30, 120];
    const extreme = new SimpleNN({ seed: 0 });
    tf.tidy(() => {
      extreme.W.assign(tf.cast(tf.reshape(tf.oneHot(tf.tensor1d([0], 'int32'), 784), [784, 1]), 'float32') as tf.Tensor2D);
      extreme.b.assign(tf.zeros([1]) as tf.Tensor1D);
    });
    batches.push({
      name: 'extreme',
      x: tf.tidy(() => tf.concat([tf.tensor2d([...zs, ...zs], [2 * zs.length, 1]), tf.zeros([2 * zs.length, 783])], 1)) as tf.Tensor2D,
      y: tf.tensor1d([...zs.map(() => 0), ...zs.map(() => 1)], 'float32'),
      net: extreme,
    });
    for (const { name, x, y, net } of batches) {
      const loss = net.loss(x, y);
      const { dW, db } = net.gradients(x, y);
      const auto = tf.variableGrads(() => net.loss(x, y), [net.W, net.b]);
      simple.set(name, {
        x,
        y,
        loss: loss.dataSync()[0],
        dW: dW.dataSync() as Float32Array,
        db: db.dataSync() as Float32Array,
        autoDW: auto.grads[net.W.name].dataSync() as Float32Array,
        autoDb: auto.grads[net.b.name].dataSync() as Float32Array,
      });
      spec.simple.push({ name, x: pack.add(x), y: pack.add(y), W: pack.add(net.W), b: pack.add(net.b) });
      tf.dispose([loss, dW, db, auto.value, ...Object.values(auto.grads)]);
      net.dispose();
    }

    const dir = mkdtempSync(join(tmpdir(), 'torch-parity-'));
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    writeFileSync(join(dir, 'data.bin'), pack.bytes());
    writeFileSync(join(dir, 'parity.py'), SCRIPT);
    const out = execFileSync(python, [join(dir, 'parity.py'), join(dir, 'spec.json'), join(dir, 'data.bin')], { encoding: 'utf8', maxBuffer: 64 << 20 });
    torch = JSON.parse(out) as TorchResult;
    for (const s of simple.values()) tf.dispose([s.x, s.y]);
    tensorsAfter = tf.memory().numTensors;
  }, 120_000);

  afterAll(() => seedDropout(0));

  it('leaks no tensor building, running and comparing every model', () => {
    expect(tensorsAfter).toBe(tensorsBefore);
  });

  it.each(CASES.map((c) => c.name))("%s: the torch module's trainable parameter count (the README's), and BN running buffers as non-trainable", (name) => {
    const t = torch.cases[name];
    const o = ours.get(name) as OurCase;
    expect(o.trainable).toBe(t.trainable);
    expect(o.nonTrainable).toBe(t.buffers);
    // The figures the README's table gives.
    const readme: Record<string, number> = { 'mlp-small': 109_386, 'mlp-wide': 669_706, cnn: 429_450, 'vgg-style': 1_868_234 };
    if (name in readme) expect(t.trainable).toBe(readme[name]);
  });

  it.each(CASES.map((c) => c.name))("%s: initialisation in torch's ranges (U(±1/sqrt(fan_in)) for weights and biases; BN 1, 0, 0, 1)", (name) => {
    const t = torch.cases[name].init;
    const o = (ours.get(name) as OurCase).init;
    expect(o.map((l) => l.kind)).toEqual(t.map((l) => l.kind));
    o.forEach((layer, i) => {
      const ref = t[i];
      if (layer.kind === 'BatchNormalization') {
        expect(layer.tensors.map((v) => [...new Set(v)])).toEqual(ref.values);
        return;
      }
      // Our kernel and bias within torch's bound, filling it (max close to the bound) with a
      // uniform's spread (std = bound / sqrt(3)), as torch's own fresh layer does.
      const checks: [Float32Array, number, number][] = [
        [layer.tensors[0], ref.weightBound, ref.weightStd],
        [layer.tensors[1], ref.biasBound, ref.biasStd],
      ];
      for (const [values, bound, torchStd] of checks) {
        const label = `${name} ${layer.name} (fan_in ${ref.fanIn}, ${values.length} values)`;
        expect(maxAbs(values), label).toBeLessThanOrEqual(bound * (1 + 1e-6));
        expect(maxAbs(values), label).toBeGreaterThanOrEqual(bound * (1 - Math.min(0.5, 5 / values.length)));
        if (values.length >= 100) {
          const tolerance = 5 * Math.sqrt(0.2 / values.length) + 0.01;
          expect(Math.abs(std(values) / (bound / Math.sqrt(3)) - 1), label).toBeLessThan(tolerance);
          expect(Math.abs(std(values) / torchStd - 1), label).toBeLessThan(2 * tolerance);
        }
      }
    });
  });

  it.each(CASES.map((c) => c.name))('%s: eval-mode logits of the torch module holding our weights', (name) => {
    const t = torch.cases[name];
    const o = ours.get(name) as OurCase;
    expect(maxAbsDiff(o.evalLogits, t.evalLogits)).toBeLessThan(1e-4 * Math.max(1, maxAbs(t.evalLogits)));
  });

  it.each(CASES.map((c) => c.name))('%s: one training forward pass: logits (batch statistics, the same dropout masks) and BN running statistics', (name) => {
    const t = torch.cases[name];
    const o = ours.get(name) as OurCase;
    expect(maxAbsDiff(o.trainLogits, t.trainLogits)).toBeLessThan(1e-4 * Math.max(1, maxAbs(t.trainLogits)));
    expect(o.runningStats.length).toBe(t.runningStats.length);
    o.runningStats.forEach(([mean, variance], i) => {
      const [tMean, tVar] = t.runningStats[i];
      expect(maxAbsDiff(mean, tMean), `running mean ${i}`).toBeLessThan(1e-5 * Math.max(1, maxAbs(tMean)));
      expect(maxAbsDiff(variance, tVar), `running var ${i}`).toBeLessThan(1e-5 * Math.max(1, maxAbs(tVar)));
    });
    // Keras' momentum is the decay: 0.9 here is torch's momentum 0.1.
    const bn = t.init.filter((l) => l.kind === 'BatchNormalization');
    o.bnConfig.forEach((c, i) => {
      expect(1 - c.momentum).toBeCloseTo(bn[i].momentum, 12);
      expect(c.epsilon).toBe(bn[i].eps);
    });
  });

  it('dropout scales kept units by 1/(1-p) in training, as nn.Dropout, keeps 1-p of them, and is the identity in eval', () => {
    for (const ref of torch.dropout) {
      expect(ref.evalIdentity).toBe(true);
      const mask = dropoutMultiplier([100000], ref.p, 5);
      const values = [...new Set(mask.dataSync())].sort((u, v) => u - v);
      mask.dispose();
      expect(values).toEqual(ref.values);
      // Our layer, on a real run: each unit is 0 or x / (1 - p).
      const layer = seededDropout(ref.p);
      const x = tf.randomUniform([200, 500], 0.5, 1.5, 'float32', 3);
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      const xs = x.dataSync();
      const ys = y.dataSync();
      let kept = 0;
      let worst = 0;
      for (let i = 0; i < xs.length; i++) {
        if (ys[i] === 0) continue;
        kept++;
        worst = Math.max(worst, Math.abs(ys[i] - xs[i] * ref.values[1]));
      }
      expect(worst).toBeLessThan(1e-6);
      // Binomial: 1e5 draws, sd of the kept fraction below 0.0016; five of them either side.
      const sd = Math.sqrt((ref.p * (1 - ref.p)) / xs.length);
      expect(Math.abs(kept / xs.length - (1 - ref.p))).toBeLessThan(5 * sd);
      expect(Math.abs(ref.kept - (1 - ref.p))).toBeLessThan(5 * Math.sqrt((ref.p * (1 - ref.p)) / 100000));
      const inference = layer.apply(x, { training: false }) as tf.Tensor;
      expect(maxAbsDiff(inference.dataSync(), xs)).toBe(0);
      tf.dispose([x, y, inference]);
    }
  });

  it("SimpleNN's BCE is nn.BCELoss(sigmoid(linear(x))), on a real batch and where p is tiny or rounds to 0 or 1", () => {
    for (const name of ['real', 'extreme']) {
      const t = torch.simple[name];
      const o = simple.get(name) as OurSimple;
      expect(Math.abs(o.loss - t.loss), name).toBeLessThan(1e-5 * Math.max(1, t.loss));
    }
  });

  it('SimpleNN.bceLoss differentiates as autograd through nn.BCELoss: the same gradients, 0 where p rounds to 0 or 1', () => {
    for (const name of ['real', 'extreme']) {
      const t = torch.simple[name];
      const o = simple.get(name) as OurSimple;
      expect(maxAbsDiff(o.autoDW, t.dW), name).toBeLessThan(1e-6 * Math.max(1, maxAbs(t.dW)));
      expect(maxAbsDiff(o.autoDb, t.db), name).toBeLessThan(1e-6 * Math.max(1, maxAbs(t.db)));
    }
  });

  it("SimpleNN's hand-written gradients are autograd's: through BCELoss on a real batch, through BCEWithLogitsLoss everywhere", () => {
    for (const name of ['real', 'extreme']) {
      const t = torch.simple[name];
      const o = simple.get(name) as OurSimple;
      expect(maxAbsDiff(o.dW, t.logitsDW), name).toBeLessThan(1e-6 * Math.max(1, maxAbs(t.logitsDW)));
      expect(maxAbsDiff(o.db, t.logitsDb), name).toBeLessThan(1e-6 * Math.max(1, maxAbs(t.logitsDb)));
    }
    const real = torch.simple.real;
    const o = simple.get('real') as OurSimple;
    expect(maxAbsDiff(o.dW, real.dW)).toBeLessThan(1e-6);
    expect(maxAbsDiff(o.db, real.db)).toBeLessThan(1e-6);
    // Where sigmoid rounds to exactly 0 or 1, autograd through BCELoss gives 0 (p(1 - p) = 0); the
    // hand-written (p - y) / n does not (the table in the README).
    const extreme = torch.simple.extreme;
    expect(maxAbsDiff(extreme.db, extreme.logitsDb)).toBeGreaterThan(0.01);
  });
});
