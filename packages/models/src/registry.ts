import type * as tfl from '@tensorflow/tfjs-layers';
import { type CnnOptions, cnn } from './cnn';
import { type DynamicMlpParams, dynamicMlp } from './dynamic-mlp';
import { type MlpOptions, mlp } from './mlp';
import { ModelError } from './model-error';
import { setModelMetadata } from './model-metadata';
import { countParams, flopsPerImage } from './model-stats';
import { type VggStyleOptions, vggStyle } from './vgg-style';

/** Options of each zoo model, by name. */
export interface ZooOptions {
  'mlp-small': Omit<MlpOptions, 'hidden'>;
  'mlp-wide': Omit<MlpOptions, 'hidden'>;
  mlp: MlpOptions;
  'dynamic-mlp': DynamicMlpParams;
  cnn: CnnOptions;
  'vgg-style': VggStyleOptions;
}

export type ModelName = keyof ZooOptions;

export interface ModelEntry {
  name: ModelName;
  stage: number;
  description: string;
  /** `'flat'` models take [n, 784]; `'image'` models take [n, 28, 28, 1]. */
  layout: 'flat' | 'image';
  create: (options: Record<string, unknown>) => tfl.LayersModel;
  defaults: Record<string, unknown>;
}

const ZOO: ModelEntry[] = [
  {
    name: 'mlp-small',
    stage: 2,
    layout: 'flat',
    description: 'MLP 784-128-64-10 (stages 2 and 3)',
    defaults: {},
    create: (o) => mlp({ ...o, hidden: [128, 64], name: 'mlp_small' }),
  },
  {
    name: 'mlp-wide',
    stage: 7,
    layout: 'flat',
    description: 'MLP 784-512-512-10 (stage 7)',
    defaults: {},
    create: (o) => mlp({ ...o, hidden: [512, 512], name: 'mlp_wide' }),
  },
  { name: 'mlp', stage: 2, layout: 'flat', description: 'MLP of any widths', defaults: {}, create: (o) => mlp(o as MlpOptions) },
  {
    name: 'dynamic-mlp',
    stage: 4,
    layout: 'flat',
    description: 'MLP proposed by a tuner trial (stage 4)',
    defaults: { nLayers: 2, width: 256, dropout: 0.2 },
    create: (o) => dynamicMlp(o as unknown as DynamicMlpParams),
  },
  {
    name: 'cnn',
    stage: 5,
    layout: 'image',
    description: '2 conv (32, 64) + BN + max-pool + dropout (stage 5)',
    defaults: {},
    create: (o) => cnn(o as CnnOptions),
  },
  {
    name: 'vgg-style',
    stage: 6,
    layout: 'image',
    description: 'VGG blocks (64,64 | 128,128) + BN, dense 256 + dropout (stage 6)',
    defaults: {},
    create: (o) => vggStyle(o as VggStyleOptions),
  },
];

export const MODEL_NAMES: readonly ModelName[] = ZOO.map((m) => m.name);

export function getModelEntry(name: string): ModelEntry {
  const entry = ZOO.find((m) => m.name === name);
  if (!entry) throw new ModelError(`unknown model ${JSON.stringify(name)}: expected one of ${MODEL_NAMES.join(', ')}`);
  return entry;
}

/**
 * Builds a zoo model by name: `createModel('cnn', { seed: 1 })`.
 * Outputs logits, not probabilities: for tfjs' own `compile`/`fit`/`predict`, use
 * `withSoftmax(model)` (tfjs' `'categoricalCrossentropy'` expects probabilities, and on logits it
 * trains on a wrong loss without any error); our `fit`, `evaluate` and `predict` take it as it is.
 *
 * The model carries its name and options (`getModelMetadata`), which `saveModel` writes beside its weights.
 */
export function createModel<N extends ModelName>(name: N, options?: ZooOptions[N]): tfl.LayersModel {
  const entry = getModelEntry(name);
  const merged: Record<string, unknown> = { ...entry.defaults, ...(options as Record<string, unknown> | undefined) };
  const model = entry.create(merged);
  setModelMetadata(model, { model: name, options: merged });
  return model;
}

export interface ModelInfo {
  name: ModelName;
  stage: number;
  description: string;
  layout: 'flat' | 'image';
  inputShape: number[];
  trainableParams: number;
  totalParams: number;
  flopsPerImage: number;
}

/** Every zoo model with its stage, parameter counts, FLOPs per image and input shape. */
export function listModels(): ModelInfo[] {
  return ZOO.map((entry) => {
    const model = entry.create(entry.defaults);
    const counts = countParams(model);
    const info: ModelInfo = {
      name: entry.name,
      stage: entry.stage,
      description: entry.description,
      layout: entry.layout,
      inputShape: (model.inputs[0].shape as (number | null)[]).slice(1) as number[],
      trainableParams: counts.trainable,
      totalParams: counts.total,
      flopsPerImage: flopsPerImage(model),
    };
    model.dispose();
    return info;
  });
}
