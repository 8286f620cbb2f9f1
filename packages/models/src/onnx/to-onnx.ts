import type * as tfl from '@tensorflow/tfjs-layers';
import type { onnx } from 'onnx-proto';
import { ModelError } from '../model-error';
import type { ModelInput, ModelMetadata } from '../model-metadata';
import { SimpleNN } from '../simple-nn';
import { modelInput } from '../model-input';
import { loadOnnxProto } from './load-onnx-proto';
import { floatType, ONNX_IR_VERSION, ONNX_OPSET, OnnxGraph } from './onnx-graph';
import { batchNormAffine, FOLDABLE, LAYER_CONVERTERS, type LayerContext, type OnnxValue } from './onnx-layers';

export interface OnnxExportOptions {
  /**
   * Layout of an image model's input in the exported graph: `'nchw'` ([n, c, h, w], what PyTorch
   * and most ONNX consumers feed) or `'nhwc'` ([n, h, w, c], tfjs's own). Flat models take
   * [n, features] either way. Default `'nchw'`.
   */
  inputLayout?: 'nchw' | 'nhwc';
  /** Fold each BatchNormalization into the Conv or Dense before it (when that has no activation). Default true. */
  foldBatchNorm?: boolean;
  /** Class names and input normalisation to embed. Default: the metadata `saveModel` stored with the model. */
  metadata?: ModelMetadata;
  /** Name of the graph input. Default `'input'`. */
  inputName?: string;
  /** Name of the graph output. Default `'logits'`. */
  outputName?: string;
}

/** The exported graph's input and output, as a consumer feeds and reads them (-1: the batch). */
export interface OnnxSignature {
  input: { name: string; shape: number[]; layout: 'NCHW' | 'NHWC' | 'NF' };
  output: { name: string; shape: number[] };
}

type Symbolic = tfl.SymbolicTensor;

/** Every symbolic tensor the outputs depend on, with how many layers (or graph outputs) read it. */
function consumerCounts(outputs: Symbolic[]): Map<number, number> {
  const counts = new Map<number, number>();
  const seen = new Set<number>();
  const visit = (t: Symbolic) => {
    if (seen.has(t.id)) return;
    seen.add(t.id);
    for (const x of t.inputs) {
      counts.set(x.id, (counts.get(x.id) ?? 0) + 1);
      visit(x);
    }
  };
  for (const t of outputs) {
    counts.set(t.id, (counts.get(t.id) ?? 0) + 1);
    visit(t);
  }
  return counts;
}

function context(graph: OnnxGraph, layer: tfl.layers.Layer): LayerContext {
  return {
    graph,
    layer,
    async weight(suffix) {
      const w = layer.weights.find((v) => v.originalName.endsWith(`/${suffix}`) || v.originalName === suffix);
      if (!w) return undefined;
      const t = w.read();
      return { data: new Float32Array(await t.data()), shape: t.shape };
    },
  };
}

/**
 * The ONNX graph of a tfjs layers model (Sequential or functional, single input and output) or of
 * stage 1's SimpleNN (output `probability`, [n]),
 * at opset {@link ONNX_OPSET}, as protobuf bytes. Inference semantics: dropout and noise layers are
 * removed, batch norm uses its moving statistics. A layer it cannot export is a `ModelError`
 * naming the layer.
 */
export async function toOnnx(model: tfl.LayersModel | SimpleNN, options: OnnxExportOptions = {}): Promise<Uint8Array> {
  return (await buildOnnx(model, options)).bytes;
}

/** {@link toOnnx}'s bytes with the graph's signature (what `exportOnnx` reports). */
export async function buildOnnx(model: tfl.LayersModel | SimpleNN, options: OnnxExportOptions = {}): Promise<{ bytes: Uint8Array; signature: OnnxSignature }> {
  if (model instanceof SimpleNN) return simpleNNGraph(model, options);
  const proto = loadOnnxProto();
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    throw new ModelError(`${model.name}: ONNX export takes a model with one input and one output, got ${model.inputs.length} and ${model.outputs.length}`);
  const graph = new OnnxGraph();
  const fold = options.foldBatchNorm ?? true;
  const inputLayout = options.inputLayout ?? 'nchw';
  if (inputLayout !== 'nchw' && inputLayout !== 'nhwc') throw new ModelError(`inputLayout: expected 'nchw' or 'nhwc', got ${JSON.stringify(inputLayout)}`);
  const [input] = model.inputs;
  const [output] = model.outputs;
  const counts = consumerCounts([output]);
  const values = new Map<number, Promise<OnnxValue>>();

  const inputName = graph.name(options.inputName ?? 'input');
  const rank = input.shape.length;
  if (rank !== 2 && rank !== 4) throw new ModelError(`${model.name}: ONNX export takes [n, features] or [n, h, w, c] inputs, got [${input.shape.join(', ')}]`);
  const [n, ...rest] = input.shape;
  const graphInputShape = rank === 4 && inputLayout === 'nchw' ? [n, rest[2], rest[0], rest[1]] : input.shape;
  let first: OnnxValue = { name: inputName, shape: input.shape, order: 'plain' };
  if (rank === 4)
    first =
      inputLayout === 'nchw'
        ? { ...first, order: 'nchw' }
        : { name: graph.node('Transpose', [inputName], 'input/to_nchw', { perm: [0, 3, 1, 2] }), shape: input.shape, order: 'nchw' };

  const convert = (t: Symbolic): Promise<OnnxValue> => {
    let value = values.get(t.id);
    if (!value) {
      value = convertTensor(t);
      values.set(t.id, value);
    }
    return value;
  };

  const convertTensor = async (t: Symbolic): Promise<OnnxValue> => {
    if (t === input || t.inputs.length === 0) {
      if (t !== input) throw new ModelError(`${model.name}: layer ${t.sourceLayer.name} has no inputs and is not the model input`);
      return first;
    }
    const layer = t.sourceLayer;
    const className = layer.getClassName();
    if (t.inputs.length !== 1) throw new ModelError(`layer ${layer.name} (${className}): layers with ${t.inputs.length} inputs cannot be exported`);
    const converter = LAYER_CONVERTERS[className];
    if (!converter)
      throw new ModelError(`layer ${layer.name} (${className}): cannot be exported to ONNX; supported layers: ${Object.keys(LAYER_CONVERTERS).join(', ')}`);
    const [source] = t.inputs;
    const before = source.sourceLayer;
    // conv/dense -> batch norm, where nothing else reads the conv: one Conv with folded weights.
    if (
      fold &&
      className === 'BatchNormalization' &&
      FOLDABLE.has(before.getClassName()) &&
      before.getConfig().activation === 'linear' &&
      source.inputs.length === 1 &&
      counts.get(source.id) === 1
    ) {
      const x = await convert(source.inputs[0]);
      const affine = await batchNormAffine(context(graph, layer), { ...x, shape: source.shape });
      return LAYER_CONVERTERS[before.getClassName()]({ ...context(graph, before), fold: affine }, x, t.shape);
    }
    return converter(context(graph, layer), await convert(source), t.shape);
  };

  let last = await convert(output);
  // Back to tfjs's layout where the output is still an image or a channel-first flatten.
  if (last.order === 'nchw') last = { ...last, name: graph.node('Transpose', [last.name], 'output/to_nhwc', { perm: [0, 2, 3, 1] }), order: 'plain' };
  if (last.order === 'flat-nchw' && last.hwc) {
    const [h, w, c] = last.hwc;
    const image = graph.node('Reshape', [last.name, graph.int64s('output/chw', [0, c, h, w])], 'output/unflatten');
    const hwc = graph.node('Transpose', [image], 'output/to_hwc', { perm: [0, 2, 3, 1] });
    last = { ...last, name: graph.node('Flatten', [hwc], 'output/flatten', { axis: 1 }), order: 'plain' };
  }
  const outputName = graph.node('Identity', [last.name], options.outputName ?? 'logits');

  const metadata = options.metadata ?? (model.getUserDefinedMetadata() as { fmnist?: ModelMetadata } | undefined)?.fmnist;
  // input_mean/input_std describe one normalization: steps beyond it would be lost without a word.
  const extra = modelInput(model, metadata).preprocessing ?? [];
  if (extra.length > 0) {
    throw new ModelError(`${model.name}: its input needs ${extra.join(', ')}, which the ONNX metadata (input_mean, input_std) cannot describe`);
  }
  const layout = rank === 2 ? 'NF' : inputLayout === 'nchw' ? 'NCHW' : 'NHWC';
  return encode(proto, graph, {
    name: metadata?.model ?? model.name,
    input: { name: inputName, shape: graphInputShape, layout },
    output: { name: outputName, shape: output.shape },
    props: metadataProps(modelInput(model, metadata), metadata?.model ?? model.name, metadata, graphInputShape, layout),
  });
}

/** Stage 1's SimpleNN (raw variables, no layers): p = sigmoid(xW + b), one probability per image. */
async function simpleNNGraph(model: SimpleNN, options: OnnxExportOptions): Promise<{ bytes: Uint8Array; signature: OnnxSignature }> {
  const proto = loadOnnxProto();
  const graph = new OnnxGraph();
  const inputName = graph.name(options.inputName ?? 'input');
  const w = graph.floats('W', new Float32Array(await model.W.data()), [model.inputs, 1]);
  const b = graph.floats('b', new Float32Array(await model.b.data()), [1]);
  const p = graph.node('Sigmoid', [graph.node('Gemm', [inputName, w, b], 'linear')], 'sigmoid');
  const outputName = graph.node('Reshape', [p, graph.int64s('shape', [-1])], options.outputName ?? 'probability');
  const side = Math.round(Math.sqrt(model.inputs));
  const input = { layout: 'flat' as const, height: side, width: side, channels: 1, normalize: 'unit' as const };
  const metadata = options.metadata;
  return encode(proto, graph, {
    name: metadata?.model ?? 'simple-nn',
    input: { name: inputName, shape: [null, model.inputs], layout: 'NF' },
    output: { name: outputName, shape: [null] },
    props: metadataProps(metadata?.input ?? input, metadata?.model ?? 'simple-nn', metadata, [null, model.inputs], 'NF'),
  });
}

interface GraphSignature {
  name: string;
  input: { name: string; shape: (number | null)[]; layout: OnnxSignature['input']['layout'] };
  output: { name: string; shape: (number | null)[] };
  props: onnx.IStringStringEntryProto[];
}

function encode(proto: ReturnType<typeof loadOnnxProto>, graph: OnnxGraph, sig: GraphSignature): { bytes: Uint8Array; signature: OnnxSignature } {
  const message: onnx.IModelProto = {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: '@fmnist/models',
    docString: `${sig.name}, exported from TensorFlow.js by @fmnist/models`,
    graph: {
      name: sig.name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [{ name: sig.input.name, type: floatType(sig.input.shape) }],
      output: [{ name: sig.output.name, type: floatType(sig.output.shape) }],
    },
    metadataProps: sig.props,
  };
  const batch = (shape: (number | null)[]) => shape.map((d) => d ?? -1);
  return {
    bytes: proto.ModelProto.encode(message).finish(),
    signature: {
      input: { name: sig.input.name, shape: batch(sig.input.shape), layout: sig.input.layout },
      output: { name: sig.output.name, shape: batch(sig.output.shape) },
    },
  };
}

/**
 * What a consumer needs to prepare inputs without our code (ONNX Runtime's
 * `custom_metadata_map`): x = (pixel / 255 - input_mean) / input_std, shaped as input_shape.
 */
function metadataProps(
  input: ModelInput,
  name: string,
  metadata: ModelMetadata | undefined,
  shape: (number | null)[],
  layout: OnnxSignature['input']['layout'],
): onnx.IStringStringEntryProto[] {
  const normalize = input.normalize === 'unit' ? { mean: 0, std: 1 } : input.normalize;
  const props: Record<string, string> = {
    model: name,
    input_layout: layout,
    input_shape: JSON.stringify(shape.map((d) => d ?? -1)),
    input_scale: String(1 / 255),
    input_mean: String(normalize.mean),
    input_std: String(normalize.std),
    input_normalization: 'x = (pixel * input_scale - input_mean) / input_std, pixels 0-255',
  };
  if (metadata?.classes) props.classes = JSON.stringify(metadata.classes);
  if (metadata) props.fmnist = JSON.stringify(metadata);
  return Object.entries(props).map(([key, value]) => ({ key, value }));
}
