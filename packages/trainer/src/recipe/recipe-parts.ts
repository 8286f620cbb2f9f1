import {
  AlternatingHorizontalFlip,
  Compose,
  DataLoader,
  FASHION_MNIST_MEAN,
  type ImageDataset,
  FASHION_MNIST_STD,
  type Normalization,
  RandomAffine,
  RandomCrop,
  RandomErasing,
  RandomHorizontalFlip,
  RandomRotation,
  Resize,
  selectIndices,
  stratifiedSubset,
  type Transform,
  trainValSplit,
} from '@fmnist/data';
import { createModel, getModelEntry, type ModelName, type ZooOptions } from '@fmnist/models';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Callback } from '../callbacks/callback';
import { EarlyStopping } from '../callbacks/early-stopping';
import { ExponentialMovingAverage } from '../callbacks/exponential-moving-average';
import type { OptimizerConfig } from '../optimizers/create-optimizer';
import { CosineAnnealingLR } from '../schedulers/cosine-annealing-lr';
import { OneCycleLR } from '../schedulers/one-cycle-lr';
import { ReduceLROnPlateau } from '../schedulers/reduce-lr-on-plateau';
import { ExponentialLR, MultiStepLR, StepLR } from '../schedulers/step-lr';
import type { AugmentSpec, ScheduleSpec, TrainRecipe } from './train-recipe';

// From a recipe's data to the objects a run is made of: one function per part, shared by runRecipe
// and anyone who needs one part (the CLI's eval, the tuner's objective).

/** The normalization a recipe names: 'standard' is Fashion-MNIST's training mean and std. */
export function recipeNormalization(normalize: TrainRecipe['data']['normalize']): Exclude<Normalization, 'none'> {
  return normalize === 'standard' ? { mean: FASHION_MNIST_MEAN, std: FASHION_MNIST_STD } : normalize;
}

function transformOf(spec: AugmentSpec): Transform {
  const { name, ...options } = spec;
  switch (name) {
    case 'AlternatingHorizontalFlip':
      return new AlternatingHorizontalFlip();
    case 'RandomHorizontalFlip':
      return new RandomHorizontalFlip(options as ConstructorParameters<typeof RandomHorizontalFlip>[0]);
    case 'RandomCrop':
      return new RandomCrop(options as ConstructorParameters<typeof RandomCrop>[0]);
    case 'RandomRotation':
      return new RandomRotation(options as ConstructorParameters<typeof RandomRotation>[0]);
    case 'RandomAffine':
      return new RandomAffine(options as ConstructorParameters<typeof RandomAffine>[0]);
    case 'RandomErasing':
      return new RandomErasing(options as ConstructorParameters<typeof RandomErasing>[0]);
    case 'Resize':
      return new Resize(options as ConstructorParameters<typeof Resize>[0]);
  }
}

/** The recipe's transforms: `train` (every step, in order) and `all` (a Resize, which every split gets), and the image side after them. */
export function recipeTransforms(augment: readonly AugmentSpec[]): { train?: Transform; all?: Transform; size: number } {
  const resize = augment.find((a): a is Extract<AugmentSpec, { name: 'Resize' }> => a.name === 'Resize');
  const all = resize ? transformOf(resize) : undefined;
  const steps = augment.map((spec) => (spec === resize ? (all as Transform) : transformOf(spec)));
  return { train: steps.length === 0 ? undefined : steps.length === 1 ? steps[0] : new Compose(steps), all, size: resize?.size ?? 28 };
}

/** The options the zoo model is created with: its defaults, the input size, the recipe's options and the run's seed. */
export function recipeModelOptions(recipe: TrainRecipe): Record<string, unknown> {
  const entry = getModelEntry(recipe.model.name);
  const { size } = recipeTransforms(recipe.data.augment);
  const shape = entry.layout === 'image' ? { inputShape: [size, size, 1] } : { inputs: size * size };
  return { ...entry.defaults, seed: recipe.fit.seed, ...shape, ...recipe.model.options };
}

/** The zoo model a recipe names, seeded with the run's seed and fitted to the image side. */
export function recipeModel(recipe: TrainRecipe): tfl.LayersModel {
  // createModel's options are typed per name; the schema has checked them per name already.
  return createModel(recipe.model.name as ModelName, recipeModelOptions(recipe) as ZooOptions[ModelName]);
}

/** The optimizer config of a recipe. */
export function recipeOptimizer(recipe: TrainRecipe): OptimizerConfig {
  return { ...recipe.fit.optimizer };
}

function scheduleOf(spec: ScheduleSpec, epochs: number): Callback {
  switch (spec.name) {
    case 'StepLR':
      return new StepLR(spec);
    case 'MultiStepLR':
      return new MultiStepLR(spec);
    case 'ExponentialLR':
      return new ExponentialLR(spec);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR({ ...spec, tMax: spec.tMax ?? epochs });
    case 'OneCycleLR': {
      const { name: _name, ...options } = spec;
      return new OneCycleLR(options);
    }
    case 'ReduceLROnPlateau': {
      const { name: _name, ...options } = spec;
      return new ReduceLROnPlateau(options);
    }
  }
}

/** The callbacks that change the numbers: the schedule, early stopping, then the weight average. */
export function recipeCallbacks(recipe: TrainRecipe): Callback[] {
  const { schedule, earlyStopping, ema, epochs } = recipe.fit;
  return [
    ...(schedule ? [scheduleOf(schedule, epochs)] : []),
    ...(earlyStopping ? [new EarlyStopping(earlyStopping)] : []),
    ...(ema ? [new ExponentialMovingAverage({ decay: ema.decay })] : []),
  ];
}

/**
 * Whether a part of the recipe depends on the number of epochs (a one-cycle schedule, a cosine
 * schedule without tMax): then raising `fit.epochs` is another run, not training further.
 */
export function dependsOnEpochs(recipe: TrainRecipe): boolean {
  const s = recipe.fit.schedule;
  return s?.name === 'OneCycleLR' || (s?.name === 'CosineAnnealingLR' && s.tMax === undefined);
}

/** The images a recipe trains, validates and tests on, taken from the loaded training and test sets. */
export interface RecipeSplits {
  train: ImageDataset;
  /** Undefined when `data.validation` is 0. */
  val?: ImageDataset;
  test: ImageDataset;
}

/**
 * The recipe's subset and validation split of the loaded sets (seeded with `data.seed`), and its
 * test images: with `validationFrom: 'subset'` the subset is drawn first and split; with
 * 'outside' the split comes first and the subset is drawn from its training part.
 */
export function recipeSplits(recipe: TrainRecipe, loaded: { train: ImageDataset; test: ImageDataset }): RecipeSplits {
  const { subset, validation, validationFrom, validationSubset, seed } = recipe.data;
  const take = (ds: ImageDataset, size: number | undefined) => (size === undefined ? ds : stratifiedSubset(ds, size, { seed }));
  const first = validationFrom === 'outside' ? loaded.train : take(loaded.train, subset);
  const split = validation > 0 ? trainValSplit(first, { valFraction: validation, seed }) : undefined;
  const rest = split?.train ?? first;
  const n = recipe.evaluate.testImages;
  return {
    train: validationFrom === 'outside' ? take(rest, subset) : rest,
    val: split && take(split.val, validationSubset),
    test:
      n === undefined || n >= loaded.test.count
        ? loaded.test
        : selectIndices(
            loaded.test,
            Array.from({ length: n }, (_, i) => i),
          ),
  };
}

/** A loader of validation or test images as the recipe's model takes them: its layout, normalization and image size, in order, at `evaluate.batchSize`. */
export function recipeEvaluationLoader(recipe: TrainRecipe, ds: ImageDataset): DataLoader {
  const { layout } = getModelEntry(recipe.model.name);
  return new DataLoader(ds, {
    batchSize: recipe.evaluate.batchSize,
    shuffle: false,
    layout,
    normalize: recipeNormalization(recipe.data.normalize),
    transform: recipeTransforms(recipe.data.augment).all,
  });
}

/** The training loader of a recipe: its batch size, the run's seed, layout, normalization and augmentation. */
export function recipeTrainingLoader(recipe: TrainRecipe, ds: ImageDataset): DataLoader {
  const { layout } = getModelEntry(recipe.model.name);
  return new DataLoader(ds, {
    batchSize: recipe.data.batchSize,
    seed: recipe.fit.seed,
    layout,
    normalize: recipeNormalization(recipe.data.normalize),
    transform: recipeTransforms(recipe.data.augment).train,
  });
}
