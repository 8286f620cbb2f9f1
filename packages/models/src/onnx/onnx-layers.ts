import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelError } from '../model-error';
import type { OnnxGraph } from './onnx-graph';

/**
 * A tfjs value as the ONNX graph holds it. tfjs images are NHWC and ONNX convolutions NCHW, so:
 * - `plain`: the same layout in both;
 * - `nchw`: a rank-4 tfjs [n, h, w, c] tensor held as ONNX [n, c, h, w];
 * - `flat-nchw`: a tfjs Flatten of [h, w, c] (features in h, w, c order) held in c, h, w order.
 *   Dense and BatchNormalization consume it by permuting their weights, so no Transpose is needed.
 */
export interface OnnxValue {
  name: string;
  /** The tfjs shape (batch first, `null` for unknown). */
  shape: (number | null)[];
  order: 'plain' | 'nchw' | 'flat-nchw';
  /** [h, w, c] of the image a `flat-nchw` value was flattened from. */
  hwc?: [number, number, number];
}

/** What a converter may do besides adding nodes: read weights, and see a folded batch norm. */
export interface LayerContext {
  graph: OnnxGraph;
  layer: tfl.layers.Layer;
  /** The layer's weight called `suffix` (`kernel`, `bias`, `gamma`...), or undefined. */
  weight(suffix: string): Promise<{ data: Float32Array; shape: number[] } | undefined>;
  /** A following BatchNormalization folded into this layer: y = x * scale + shift per output channel. */
  fold?: { scale: Float32Array; shift: Float32Array };
}

export type LayerConverter = (ctx: LayerContext, input: OnnxValue, outShape: (number | null)[]) => Promise<OnnxValue>;

type Config = Record<string, unknown>;

function fail(layer: tfl.layers.Layer, why: string): never {
  throw new ModelError(`layer ${layer.name} (${layer.getClassName()}): ${why}`);
}

function pair(v: unknown, field: string, layer: tfl.layers.Layer): [number, number] {
  const a = Array.isArray(v) ? v : [v, v];
  if (a.length !== 2 || !a.every((x) => Number.isInteger(x))) fail(layer, `${field}: expected one or two integers, got ${JSON.stringify(v)}`);
  return a as [number, number];
}

/** TensorFlow's `same` padding (extra pixel at the end) or `valid`, as ONNX pads [top, left, bottom, right]. */
function pads(
  padding: unknown,
  input: (number | null)[],
  kernel: [number, number],
  strides: [number, number],
  dilation: [number, number],
  layer: tfl.layers.Layer,
) {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding !== 'same') fail(layer, `padding ${JSON.stringify(padding)} cannot be exported (same and valid can)`);
  const begin: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < 2; i++) {
    const size = input[i + 1];
    if (size === null) fail(layer, 'same padding needs a known input height and width');
    const effective = (kernel[i] - 1) * dilation[i] + 1;
    const total = Math.max((Math.ceil(size / strides[i]) - 1) * strides[i] + effective - size, 0);
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
  }
  return [...begin, ...end];
}

/** A vector in tfjs's (h, w, c) feature order, rearranged to the (c, h, w) order of a `flat-nchw` value. */
function toChwOrder(v: Float32Array, [h, w, c]: [number, number, number], width = 1): Float32Array {
  const out = new Float32Array(v.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) out.set(v.subarray(((y * w + x) * c + k) * width, ((y * w + x) * c + k + 1) * width), ((k * h + y) * w + x) * width);
  return out;
}

function checkChannelsLast(config: Config, layer: tfl.layers.Layer): void {
  if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast')
    fail(layer, `dataFormat ${config.dataFormat} cannot be exported (channelsLast can)`);
}

function needImage(input: OnnxValue, layer: tfl.layers.Layer): void {
  if (input.order !== 'nchw') fail(layer, `expected a rank-4 image input, got shape [${input.shape.join(', ')}]`);
}

/** Adds the nodes of a tfjs activation (by its serialised name); `linear` adds none. */
export function activation(graph: OnnxGraph, name: string, x: OnnxValue, base: string, layer: tfl.layers.Layer): OnnxValue {
  const unary: Record<string, string> = { relu: 'Relu', tanh: 'Tanh', sigmoid: 'Sigmoid', softplus: 'Softplus', softsign: 'Softsign' };
  const out = (node: string): OnnxValue => ({ ...x, name: node });
  if (name === 'linear') return x;
  if (unary[name]) return out(graph.node(unary[name], [x.name], `${base}/${name}`));
  // tfjs's elu has alpha 1; its selu constants are ONNX's defaults, written out for clarity.
  if (name === 'elu') return out(graph.node('Elu', [x.name], `${base}/elu`, { alpha: { float: 1 } }));
  if (name === 'selu') return out(graph.node('Selu', [x.name], `${base}/selu`, { alpha: { float: 1.6732632423543772 }, gamma: { float: 1.0507009873554805 } }));
  if (name === 'hardSigmoid') return out(graph.node('HardSigmoid', [x.name], `${base}/hard_sigmoid`, { alpha: { float: 0.2 }, beta: { float: 0.5 } }));
  if (name === 'relu6')
    return out(
      graph.node(
        'Clip',
        [x.name, graph.floats(`${base}/min`, new Float32Array([0]), []), graph.floats(`${base}/max`, new Float32Array([6]), [])],
        `${base}/relu6`,
      ),
    );
  if (name === 'swish') return out(graph.node('Mul', [x.name, graph.node('Sigmoid', [x.name], `${base}/sigmoid`)], `${base}/swish`));
  if (name === 'mish') {
    const t = graph.node('Tanh', [graph.node('Softplus', [x.name], `${base}/softplus`)], `${base}/tanh`);
    return out(graph.node('Mul', [x.name, t], `${base}/mish`));
  }
  if (name === 'softmax') {
    if (x.shape.length !== 2 || x.order !== 'plain') fail(layer, 'softmax is exported on rank-2 inputs only');
    return out(graph.node('Softmax', [x.name], `${base}/softmax`, { axis: -1 }));
  }
  return fail(layer, `activation ${JSON.stringify(name)} cannot be exported`);
}

/** The layer's bias, with a folded batch norm applied (b * scale + shift; a bias of 0 where it had none). */
async function bias(ctx: LayerContext): Promise<Float32Array | undefined> {
  const b = (await ctx.weight('bias'))?.data;
  if (!ctx.fold) return b;
  const { scale, shift } = ctx.fold;
  return shift.map((s, o) => (b ? b[o] : 0) * scale[o] + s);
}

const dense: LayerConverter = async (ctx, input, outShape) => {
  const { graph, layer } = ctx;
  const config = layer.getConfig();
  if (input.shape.length !== 2) fail(layer, `expected a rank-2 input, got shape [${input.shape.join(', ')}] (flatten it first)`);
  const kernel = await ctx.weight('kernel');
  if (!kernel) return fail(layer, 'has no kernel');
  const [inputs, units] = kernel.shape;
  let w = input.order === 'flat-nchw' && input.hwc ? toChwOrder(kernel.data, input.hwc, units) : kernel.data;
  const b = await bias(ctx);
  if (ctx.fold) {
    const { scale } = ctx.fold;
    w = w.map((v, i) => v * scale[i % units]);
  }
  const base = layer.name;
  const wName = graph.floats(`${base}/kernel`, w, [inputs, units]);
  const y = b
    ? graph.node('Gemm', [input.name, wName, graph.floats(`${base}/bias`, b, [units])], `${base}/gemm`)
    : graph.node('MatMul', [input.name, wName], `${base}/matmul`);
  return activation(graph, String(config.activation), { name: y, shape: outShape, order: 'plain' }, base, layer);
};

const conv2d: LayerConverter = async (ctx, input, outShape) => {
  const { graph, layer } = ctx;
  const config = layer.getConfig();
  checkChannelsLast(config, layer);
  needImage(input, layer);
  const kernel = await ctx.weight('kernel');
  if (!kernel) return fail(layer, 'has no kernel');
  const [kh, kw, cin, cout] = kernel.shape;
  // tfjs [kh, kw, cin, cout] -> ONNX [cout, cin, kh, kw], with a folded batch norm's scale per cout.
  const w = new Float32Array(kernel.data.length);
  const scale = ctx.fold?.scale;
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) w[((o * cin + i) * kh + y) * kw + x] = kernel.data[((y * kw + x) * cin + i) * cout + o] * (scale ? scale[o] : 1);
  const b = await bias(ctx);
  const strides = pair(config.strides, 'strides', layer);
  const dilations = pair(config.dilationRate, 'dilationRate', layer);
  const base = layer.name;
  const inputs = [input.name, graph.floats(`${base}/kernel`, w, [cout, cin, kh, kw])];
  if (b) inputs.push(graph.floats(`${base}/bias`, b, [cout]));
  const y = graph.node('Conv', inputs, `${base}/conv`, {
    kernel_shape: [kh, kw],
    strides,
    dilations,
    pads: pads(config.padding, input.shape, [kh, kw], strides, dilations, layer),
  });
  return activation(graph, String(config.activation), { name: y, shape: outShape, order: 'nchw' }, base, layer);
};

interface BatchNormParams {
  gamma: Float32Array;
  beta: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
  epsilon: number;
}

async function batchNormParams(ctx: LayerContext, input: OnnxValue): Promise<BatchNormParams> {
  const { layer } = ctx;
  const config = layer.getConfig();
  const axis = Array.isArray(config.axis) ? config.axis : [config.axis];
  if (axis.length !== 1 || !(axis[0] === -1 || axis[0] === input.shape.length - 1))
    fail(layer, `axis ${JSON.stringify(config.axis)} cannot be exported (the channel axis, -1, can)`);
  const mean = (await ctx.weight('moving_mean'))?.data;
  const variance = (await ctx.weight('moving_variance'))?.data;
  if (!mean || !variance) return fail(layer, 'has no moving statistics');
  // center: false / scale: false layers have no beta / gamma.
  const gamma = (await ctx.weight('gamma'))?.data ?? new Float32Array(mean.length).fill(1);
  const beta = (await ctx.weight('beta'))?.data ?? new Float32Array(mean.length);
  return { gamma, beta, mean, variance, epsilon: Number(config.epsilon) };
}

/** Batch norm at inference as an affine map per channel: y = x * scale + shift. */
export async function batchNormAffine(ctx: LayerContext, input: OnnxValue): Promise<{ scale: Float32Array; shift: Float32Array }> {
  const { gamma, beta, mean, variance, epsilon } = await batchNormParams(ctx, input);
  const scale = variance.map((v, c) => gamma[c] / Math.sqrt(v + epsilon));
  return { scale, shift: mean.map((m, c) => beta[c] - m * scale[c]) };
}

const batchNormalization: LayerConverter = async (ctx, input, outShape) => {
  const { graph, layer } = ctx;
  const p = await batchNormParams(ctx, input);
  // ONNX normalises axis 1: the channels of an NCHW image, the features of a matrix.
  const order = (v: Float32Array) => (input.order === 'flat-nchw' && input.hwc ? toChwOrder(v, input.hwc) : v);
  const base = layer.name;
  const dims = [p.mean.length];
  const params = (['gamma', 'beta', 'mean', 'variance'] as const).map((k) => graph.floats(`${base}/${k}`, order(p[k]), dims));
  const y = graph.node('BatchNormalization', [input.name, ...params], `${base}/batch_norm`, { epsilon: { float: p.epsilon } });
  return { ...input, name: y, shape: outShape };
};

const pooling =
  (op: 'MaxPool' | 'AveragePool'): LayerConverter =>
  async (ctx, input, outShape) => {
    const { graph, layer } = ctx;
    const config = layer.getConfig();
    checkChannelsLast(config, layer);
    needImage(input, layer);
    const kernel = pair(config.poolSize, 'poolSize', layer);
    const strides = pair(config.strides ?? config.poolSize, 'strides', layer);
    const attributes = { kernel_shape: kernel, strides, pads: pads(config.padding, input.shape, kernel, strides, [1, 1], layer) };
    // TensorFlow's average pooling leaves padded pixels out of the mean.
    const y = graph.node(
      op,
      [input.name],
      `${layer.name}/${op === 'MaxPool' ? 'max_pool' : 'avg_pool'}`,
      op === 'AveragePool' ? { ...attributes, count_include_pad: 0 } : attributes,
    );
    return { name: y, shape: outShape, order: 'nchw' };
  };

const globalPooling =
  (op: 'GlobalMaxPool' | 'GlobalAveragePool'): LayerConverter =>
  async (ctx, input, outShape) => {
    const { graph, layer } = ctx;
    checkChannelsLast(layer.getConfig(), layer);
    needImage(input, layer);
    if (layer.getConfig().keepDims === true) fail(layer, 'keepDims cannot be exported');
    const pooled = graph.node(op, [input.name], `${layer.name}/${op === 'GlobalMaxPool' ? 'max' : 'mean'}`);
    return { name: graph.node('Flatten', [pooled], `${layer.name}/flatten`, { axis: 1 }), shape: outShape, order: 'plain' };
  };

const flatten: LayerConverter = async (ctx, input, outShape) => {
  const { graph, layer } = ctx;
  checkChannelsLast(layer.getConfig(), layer);
  if (input.shape.length === 2) return { ...input, shape: outShape };
  const name = graph.node('Flatten', [input.name], `${layer.name}/flatten`, { axis: 1 });
  if (input.order !== 'nchw') return { name, shape: outShape, order: 'plain' };
  const [, h, w, c] = input.shape as number[];
  // With one channel, or a 1x1 image, the two feature orders coincide.
  return c === 1 || h * w === 1 ? { name, shape: outShape, order: 'plain' } : { name, shape: outShape, order: 'flat-nchw', hwc: [h, w, c] };
};

const identity: LayerConverter = async (_ctx, input, outShape) => ({ ...input, shape: outShape });

const activationLayer: LayerConverter = async ({ graph, layer }, input, outShape) =>
  activation(graph, String(layer.getConfig().activation), { ...input, shape: outShape }, layer.name, layer);

const reLU: LayerConverter = async ({ graph, layer }, input, outShape) => {
  const max = layer.getConfig().maxValue;
  if (max === null || max === undefined) return { ...input, name: graph.node('Relu', [input.name], `${layer.name}/relu`), shape: outShape };
  const bounds = [graph.floats(`${layer.name}/min`, new Float32Array([0]), []), graph.floats(`${layer.name}/max`, new Float32Array([Number(max)]), [])];
  return { ...input, name: graph.node('Clip', [input.name, ...bounds], `${layer.name}/relu`), shape: outShape };
};

const leakyReLU: LayerConverter = async ({ graph, layer }, input, outShape) => ({
  ...input,
  name: graph.node('LeakyRelu', [input.name], `${layer.name}/leaky_relu`, { alpha: { float: Number(layer.getConfig().alpha ?? 0.3) } }),
  shape: outShape,
});

const elu: LayerConverter = async ({ graph, layer }, input, outShape) => ({
  ...input,
  name: graph.node('Elu', [input.name], `${layer.name}/elu`, { alpha: { float: Number(layer.getConfig().alpha ?? 1) } }),
  shape: outShape,
});

const softmax: LayerConverter = async ({ graph, layer }, input, outShape) => {
  const axis = layer.getConfig().axis;
  if (!(axis === -1 || axis === input.shape.length - 1)) fail(layer, `axis ${JSON.stringify(axis)} cannot be exported (the last axis can)`);
  return activation(graph, 'softmax', { ...input, shape: outShape }, layer.name, layer);
};

/** Converters by tfjs-layers class name. Dropout and noise layers are identities at inference. */
export const LAYER_CONVERTERS: Record<string, LayerConverter> = {
  Dense: dense,
  Conv2D: conv2d,
  BatchNormalization: batchNormalization,
  MaxPooling2D: pooling('MaxPool'),
  AveragePooling2D: pooling('AveragePool'),
  GlobalMaxPooling2D: globalPooling('GlobalMaxPool'),
  GlobalAveragePooling2D: globalPooling('GlobalAveragePool'),
  Flatten: flatten,
  Activation: activationLayer,
  ReLU: reLU,
  LeakyReLU: leakyReLU,
  ELU: elu,
  Softmax: softmax,
  Dropout: identity,
  SpatialDropout1D: identity,
  AlphaDropout: identity,
  GaussianDropout: identity,
  GaussianNoise: identity,
};

/** Layers a following BatchNormalization can be folded into (when their activation is linear). */
export const FOLDABLE = new Set(['Dense', 'Conv2D']);
