import type * as tfl from '@tensorflow/tfjs-layers';

/** How a model wants its pixels: the layout of a batch and the normalisation of [0, 1] pixels. */
export interface ModelInput {
  layout: 'flat' | 'image';
  height: number;
  width: number;
  channels: number;
  /** `'unit'`: [0, 1] pixels as they are; `{ mean, std }`: `(pixel - mean) / std`. */
  normalize: 'unit' | { mean: number; std: number };
  /**
   * Deterministic steps of the training transform that `normalize` and the image size cannot
   * express (a Normalize with per-channel values, a custom step), described. A dataset cannot be
   * prepared from such a convention: `inputLoader`, `predict` and `evaluate(model, dataset)` refuse
   * it (evaluate on a DataLoader that applies them). Absent when there are none.
   */
  preprocessing?: string[];
}

/** What we store beside the weights so a model can be used without knowing how it was trained. */
export interface ModelMetadata {
  /** Zoo name, e.g. `'cnn'`. */
  model: string;
  /** Options it was created with. */
  options?: Record<string, unknown>;
  /** Class names in label order (a readonly list such as `FASHION_MNIST_CLASSES` too). */
  classes?: readonly string[];
  /** How inputs must be prepared: layout and normalisation of [0, 1] pixels. */
  input?: ModelInput;
  /** Summary of the training run (epochs, accuracies, seconds...). */
  training?: Record<string, unknown>;
}

/** The key of our metadata among a tfjs model's user-defined metadata (what `model.save` writes into model.json). */
const KEY = 'fmnist';

/**
 * The metadata a model carries in memory: what `loadModel` read, `createModel` (name, options),
 * `fit` (the training loader's input convention and class names) and `saveModel` recorded. It
 * lives in the model's tfjs user-defined metadata, so any `model.save` writes it too. Undefined for
 * a model none of them touched (an ordinary tfjs-layers model).
 */
export function getModelMetadata(model: tfl.LayersModel): Partial<ModelMetadata> | undefined {
  const own = (model.getUserDefinedMetadata() as { [KEY]?: Partial<ModelMetadata> } | undefined)?.[KEY];
  return own && typeof own === 'object' ? own : undefined;
}

/**
 * Records fields of a model's metadata, merged into what it carries (`getModelMetadata`); a field
 * given as `undefined` is removed. The model's other user-defined metadata is kept.
 */
export function setModelMetadata(model: tfl.LayersModel, fields: Partial<ModelMetadata>): void {
  const merged: Record<string, unknown> = { ...getModelMetadata(model) };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete merged[key];
    // As JSON keeps it (what model.json holds; tfjs refuses undefined fields): a copy, not the caller's object.
    else merged[key] = JSON.parse(JSON.stringify(value));
  }
  model.setUserDefinedMetadata({ ...model.getUserDefinedMetadata(), [KEY]: merged });
}

/**
 * The metadata `saveModel` writes: the fields given, then those the model carries
 * (`getModelMetadata`: its input convention and classes recorded by `fit`, its zoo name and options
 * by `createModel`), the model named after its tfjs name when nothing names it. Recorded on the
 * model, so what it carries is what was saved.
 */
export function recordSavedMetadata(model: tfl.LayersModel, metadata?: Partial<ModelMetadata>): ModelMetadata {
  const given = Object.fromEntries(Object.entries(metadata ?? {}).filter(([, v]) => v !== undefined)) as Partial<ModelMetadata>;
  setModelMetadata(model, { ...given, model: given.model ?? getModelMetadata(model)?.model ?? model.name });
  return getModelMetadata(model) as ModelMetadata;
}

/** The metadata a loaded model carries (named after its tfjs name when it lacks a name), or undefined for an ordinary tfjs-layers model. */
export function loadedMetadata(model: tfl.LayersModel): ModelMetadata | undefined {
  const carried = getModelMetadata(model);
  if (!carried) return undefined;
  return carried.model === undefined ? recordSavedMetadata(model) : (carried as ModelMetadata);
}
