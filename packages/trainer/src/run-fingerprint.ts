import type { DataLoader } from '@fmnist/data';
import * as tf from '@tensorflow/tfjs-core';
import type { Callback } from './callbacks/callback';
import { recipeDifference, valueAtPath } from './recipe/recipe-difference';
import { dependsOnEpochs } from './recipe/recipe-parts';
import type { TrainRecipe } from './recipe/train-recipe';
import type { LossName } from './losses';
import type { Optimizer } from './optimizers/optimizer';
import type { Trainable } from './trainable';
import { TrainerError } from './trainer-error';

/** What makes a checkpoint belong to a run: resuming with any of these changed would silently diverge. */
export interface RunFingerprint {
  seed: number;
  epochs: number;
  data: {
    count: number;
    labels: string;
    batchSize: number;
    seed: number;
    shuffle: boolean;
    dropLast: boolean;
    normalize: string;
    transform: string;
    mix: string;
    labelsAs?: string;
    layout?: string;
  };
  /** One line per layer (class, config without names or initialisers) or per variable shape. */
  model: string[];
  optimizer: string;
  loss: LossName;
  labelSmoothing: number;
  gradientClip: string;
  /**
   * The callbacks that change the numbers (schedules, early stopping, EMA, your own), in list
   * order, each with its settings; those that only watch (`observesOnly`: loggers, progress,
   * checkpoints) are left out. Absent in checkpoints of older versions.
   */
  callbacks?: string[];
  /** A callback's schedule spans the run's epochs (OneCycleLR): `epochs` may not change on resume. */
  epochBound?: boolean;
  /** The recipe the run was made from (runRecipe), compared field by field on resume. */
  recipe?: unknown;
  /** Whether a part of that recipe depends on the epoch count (then raising epochs is another run). */
  recipeDependsOnEpochs?: boolean;
}

/** FNV-1a over the labels, in dataset order (a different subset or order changes it). */
export function labelsFingerprint(labels: ArrayLike<number>): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < labels.length; i++) h = Math.imul(h ^ (labels[i] & 0xff), 0x01000193);
  return `${labels.length}:${(h >>> 0).toString(16).padStart(8, '0')}`;
}

const omitKey = (key: string) => key === 'name' || key.endsWith('Initializer') || key === 'seed';

function stripConfig(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripConfig);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !omitKey(k))
        .map(([k, v]) => [k, stripConfig(v)]),
    );
  }
  return value;
}

const MAX_DEPTH = 4;

/** A field's value as text, or undefined for what does not describe settings (functions, tensors, class instances). */
function describeField(value: unknown, depth: number): string | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (value === null) return 'null';
  if (value === undefined || typeof value !== 'object' || depth > MAX_DEPTH || value instanceof tf.Tensor) return undefined;
  if (ArrayBuffer.isView(value)) return undefined;
  if (Array.isArray(value)) {
    const parts = value.map((v) => describeField(v, depth + 1));
    return parts.some((p) => p === undefined) ? undefined : `[${parts.join(',')}]`;
  }
  const proto = Object.getPrototypeOf(value);
  const plain = proto === Object.prototype || proto === null;
  // Plain option objects, and objects that apply something (transforms, nested in Compose).
  if (!plain && typeof (value as { apply?: unknown }).apply !== 'function') return undefined;
  return describeObject(value as object, depth + 1);
}

/**
 * An object's class and its settings: every own field holding numbers, strings, booleans, arrays
 * of them or nested transforms, sorted by name. `Compose(transforms=[RandomCrop(padding=[2,2,2,2],
 * size=[28,28], ...)])`: two objects of one class with other parameters describe differently.
 */
export function describeObject(value: object, depth = 0): string {
  const name = value.constructor?.name ?? 'Object';
  const fields = Object.entries(value)
    .filter(([k, v]) => k !== 'trainer' && !k.startsWith('_') && !(k === 'name' && v === name))
    .flatMap(([k, v]) => {
      const d = describeField(v, depth);
      return d === undefined ? [] : [`${k}=${d}`];
    })
    .sort();
  return `${name}(${fields.join(', ')})`;
}

/**
 * The callbacks that change the numbers, described with their settings: their fields less the
 * state they checkpoint (`getState`'s keys: counters, best values), which a run changes as it goes.
 */
export function callbacksFingerprint(callbacks: readonly Callback[]): string[] {
  return callbacks
    .filter((c) => c.observesOnly !== true)
    .map((c) => {
      const state = new Set(Object.keys(c.getState?.() ?? {}));
      const settings = Object.fromEntries(Object.entries(c).filter(([k]) => !state.has(k)));
      Object.setPrototypeOf(settings, Object.getPrototypeOf(c));
      return describeObject(settings);
    });
}

/** The architecture as lines: layer class, config and weight shapes (raw-variable models: shapes only). */
export function modelFingerprint(model: Trainable): string[] {
  const layers = model.layersModel?.layers;
  if (!layers) return model.allVariables().map((v) => `variable [${v.shape.join(',')}] trainable=${v.trainable}`);
  return layers.map(
    (l) => `${l.getClassName()} ${JSON.stringify(stripConfig(l.getConfig()))} [${l.weights.map((w) => w.shape.join('x')).join(' ')}] trainable=${l.trainable}`,
  );
}

/** The optimizer's kind and hyperparameters, with the learning rate the run started at. */
export function optimizerFingerprint(optimizer: Optimizer, baseLr: number): string {
  const own = Object.entries(optimizer)
    .filter(
      ([k, v]) =>
        k !== 'lr' &&
        k !== 'step' &&
        (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'number'))),
    )
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .sort();
  const multipliers = [...optimizer.lrMultipliers.values()].join(',');
  return [`lr=${baseLr}`, ...own, ...(multipliers ? [`lrMultipliers=${multipliers}`] : [])].join(' ');
}

export function runFingerprint(parts: {
  model: Trainable;
  loader: DataLoader;
  optimizer: Optimizer;
  baseLr: number;
  seed: number;
  epochs: number;
  loss: LossName;
  labelSmoothing: number;
  gradientClip?: { norm?: number; value?: number };
  callbacks: readonly Callback[];
  recipe?: TrainRecipe;
}): RunFingerprint {
  const { loader } = parts;
  const o = loader.options;
  return {
    seed: parts.seed,
    epochs: parts.epochs,
    data: {
      count: loader.dataset.count,
      labels: labelsFingerprint(loader.dataset.labels),
      batchSize: o.batchSize,
      seed: o.seed,
      shuffle: o.shuffle,
      dropLast: o.dropLast,
      // By value, in one key order: { std, mean } is { mean, std } (and reads as older checkpoints wrote it).
      normalize: JSON.stringify(typeof o.normalize === 'object' ? { mean: o.normalize.mean, std: o.normalize.std } : o.normalize),
      transform: o.transform ? describeObject(o.transform) : 'none',
      mix: o.mix ? describeObject(o.mix) : 'none',
      labelsAs: o.labels,
      layout: o.layout,
    },
    model: modelFingerprint(parts.model),
    optimizer: optimizerFingerprint(parts.optimizer, parts.baseLr),
    loss: parts.loss,
    labelSmoothing: parts.labelSmoothing,
    gradientClip: JSON.stringify(parts.gradientClip ?? null),
    callbacks: callbacksFingerprint(parts.callbacks),
    epochBound: parts.callbacks.some((c) => c.dependsOnEpochCount?.() === true),
    ...(parts.recipe ? { recipe: parts.recipe, recipeDependsOnEpochs: dependsOnEpochs(parts.recipe) } : {}),
  };
}

/**
 * Refuses a checkpoint written by another run, naming the first field that differs. `epochs` may
 * change (training further, as in Keras).
 */
export function checkSameRun(dir: string, saved: RunFingerprint | undefined, current: RunFingerprint): void {
  if (!saved) throw new TrainerError(`${dir}: the checkpoint does not say which run wrote it (written by an older @fmnist/trainer); start a new run`);
  const differ = (field: string, was: unknown, now: unknown) => {
    throw new TrainerError(`${dir}: the checkpoint belongs to another run: ${field} was ${JSON.stringify(was)}, this run has ${JSON.stringify(now)}`);
  };
  if (saved.recipe !== undefined || current.recipe !== undefined) {
    // Every field of the recipe is part of the run; epochs may be raised where nothing depends on them.
    const sameEpochs = (r: unknown) =>
      r && typeof r === 'object' && !current.recipeDependsOnEpochs ? { ...r, fit: { ...(r as { fit?: object }).fit, epochs: 0 } } : r;
    const [was, now] = [sameEpochs(saved.recipe), sameEpochs(current.recipe)];
    const field = recipeDifference(was, now);
    if (field !== undefined) {
      const shown = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));
      throw new TrainerError(
        `${dir}: the checkpoint belongs to another run: recipe ${field} was ${shown(valueAtPath(was, field))}, this run has ${shown(valueAtPath(now, field))}`,
      );
    }
  }
  if (saved.seed !== current.seed) differ('seed', saved.seed, current.seed);
  if ((saved.epochBound || current.epochBound) && saved.epochs !== current.epochs) {
    throw new TrainerError(
      `${dir}: the checkpoint belongs to another run: epochs was ${saved.epochs}, this run has ${current.epochs}, and a callback's schedule spans the run's epochs (OneCycleLR: give totalSteps to train further)`,
    );
  }
  for (const key of Object.keys(current.data) as (keyof RunFingerprint['data'])[]) {
    if (saved.data[key] !== current.data[key]) differ(`training data ${key}`, saved.data[key], current.data[key]);
  }
  if (saved.model.length !== current.model.length) differ('model (layer count)', saved.model.length, current.model.length);
  saved.model.forEach((line, i) => {
    if (line !== current.model[i]) differ(`model (layer ${i})`, line, current.model[i]);
  });
  if (saved.optimizer !== current.optimizer) differ('optimizer', saved.optimizer, current.optimizer);
  if (saved.loss !== current.loss) differ('loss', saved.loss, current.loss);
  if (saved.labelSmoothing !== current.labelSmoothing) differ('labelSmoothing', saved.labelSmoothing, current.labelSmoothing);
  if (saved.gradientClip !== current.gradientClip) differ('gradientClip', saved.gradientClip, current.gradientClip);
  const [was, now] = [saved.callbacks ?? [], current.callbacks ?? []];
  for (let i = 0; i < Math.max(was.length, now.length); i++) {
    if (was[i] !== now[i]) differ(`callbacks[${i}]`, was[i] ?? 'none', now[i] ?? 'none');
  }
}
