import { z } from 'zod';
import { MODEL_METRICS } from '../callbacks/metric-name';
import { TrainerError } from '../trainer-error';

// One training run as plain data: the schema is written once, the TypeScript type is derived from it.

const positiveInt = z.number().int().positive();
const rate = z.number().min(0).lt(1);
const range = z.tuple([z.number(), z.number()]);
const degrees = z.union([z.number().min(0), range]);
const interpolation = z.enum(['nearest', 'bilinear']);
/** What a recipe's early stopping or plateau schedule watches: a metric `fit` logs of the model. */
const monitor = z
  .enum(MODEL_METRICS, { error: (issue) => `expected one of ${MODEL_METRICS.join(', ')}, got ${JSON.stringify(issue.input)}` })
  .default('val_loss');

/** Each zoo model with its options (those the zoo's factories take; the seed is the run's). */
const ModelSpec = z.discriminatedUnion('name', [
  z.strictObject({
    name: z.literal('mlp-small'),
    options: z.strictObject({ dropout: z.union([rate, z.array(rate)]).optional(), batchNorm: z.boolean().optional() }).default({}),
  }),
  z.strictObject({
    name: z.literal('mlp-wide'),
    options: z.strictObject({ dropout: z.union([rate, z.array(rate)]).optional(), batchNorm: z.boolean().optional() }).default({}),
  }),
  z.strictObject({
    name: z.literal('mlp'),
    options: z
      .strictObject({ hidden: z.array(positiveInt).min(1).optional(), dropout: z.union([rate, z.array(rate)]).optional(), batchNorm: z.boolean().optional() })
      .default({}),
  }),
  z.strictObject({
    name: z.literal('dynamic-mlp'),
    options: z
      .strictObject({
        nLayers: positiveInt.default(2),
        width: z.union([positiveInt, z.array(positiveInt)]).default(256),
        dropout: rate.default(0.2),
        batchNorm: z.boolean().optional(),
      })
      .default({ nLayers: 2, width: 256, dropout: 0.2 }),
  }),
  z.strictObject({
    name: z.literal('cnn'),
    options: z
      .strictObject({ filters: z.tuple([positiveInt, positiveInt]).optional(), dense: z.array(positiveInt).optional(), dropout: rate.optional() })
      .default({}),
  }),
  z.strictObject({
    name: z.literal('vgg-style'),
    options: z
      .strictObject({
        blocks: z.array(positiveInt).min(1).optional(),
        convsPerBlock: positiveInt.optional(),
        dense: positiveInt.optional(),
        dropout: rate.optional(),
        diracInit: z.boolean().optional(),
      })
      .default({}),
  }),
]);

/** torchvision's transforms by their class names, with their options (defaults as torchvision's), and airbench's alternating flip. */
const AugmentSpec = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('RandomHorizontalFlip'), p: z.number().min(0).max(1).default(0.5) }),
  // airbench's alternating flip (not torchvision's): see @fmnist/data's AlternatingHorizontalFlip.
  z.strictObject({ name: z.literal('AlternatingHorizontalFlip') }),
  z.strictObject({
    name: z.literal('RandomCrop'),
    size: positiveInt,
    padding: z.union([z.number().int().min(0), z.array(z.number().int().min(0))]).default(0),
    fill: z.number().default(0),
    paddingMode: z.enum(['constant', 'edge', 'reflect', 'symmetric']).default('constant'),
  }),
  z.strictObject({ name: z.literal('RandomRotation'), degrees, interpolation: interpolation.default('nearest'), fill: z.number().default(0) }),
  z.strictObject({
    name: z.literal('RandomAffine'),
    degrees: degrees.default(0),
    translate: range.optional(),
    scale: range.optional(),
    shear: z.union([z.number().min(0), range, z.tuple([z.number(), z.number(), z.number(), z.number()])]).optional(),
    interpolation: interpolation.default('nearest'),
    fill: z.number().default(0),
  }),
  z.strictObject({
    name: z.literal('RandomErasing'),
    p: z.number().min(0).max(1).default(0.5),
    scale: range.default([0.02, 0.33]),
    ratio: range.default([0.3, 3.3]),
    value: z.union([z.number(), z.literal('random')]).default(0),
  }),
  z.strictObject({ name: z.literal('Resize'), size: positiveInt, antialias: z.boolean().default(true) }),
]);

const Normalization = z.union([z.literal('unit'), z.literal('standard'), z.strictObject({ mean: z.number(), std: z.number().positive() })]);

const nonNegative = z.number().min(0);
const beta = z.number().min(0).lt(1);

/** torch.optim's optimizers by name, each with its own options and PyTorch's defaults written out (so equal runs hash equal). */
const OptimizerSpec = z.discriminatedUnion('name', [
  z.strictObject({
    name: z.literal('sgd'),
    lr: nonNegative.default(0.01),
    momentum: beta.default(0),
    dampening: z.number().min(0).max(1).default(0),
    nesterov: z.boolean().default(false),
    weightDecay: nonNegative.default(0),
    maximize: z.boolean().default(false),
  }),
  z.strictObject({
    name: z.literal('adam'),
    lr: nonNegative.default(1e-3),
    betas: z.tuple([beta, beta]).default([0.9, 0.999]),
    eps: nonNegative.default(1e-8),
    weightDecay: nonNegative.default(0),
    amsgrad: z.boolean().default(false),
    maximize: z.boolean().default(false),
  }),
  z.strictObject({
    name: z.literal('adamw'),
    lr: nonNegative.default(1e-3),
    betas: z.tuple([beta, beta]).default([0.9, 0.999]),
    eps: nonNegative.default(1e-8),
    weightDecay: nonNegative.default(0.01),
    amsgrad: z.boolean().default(false),
    maximize: z.boolean().default(false),
  }),
  z.strictObject({
    name: z.literal('rmsprop'),
    lr: nonNegative.default(1e-2),
    alpha: nonNegative.default(0.99),
    eps: nonNegative.default(1e-8),
    momentum: beta.default(0),
    centered: z.boolean().default(false),
    weightDecay: nonNegative.default(0),
    maximize: z.boolean().default(false),
  }),
]);

const interval = z.enum(['epoch', 'step']);

/** PyTorch's schedulers by name, with their options (epoch counts unless `interval: 'step'`). */
const ScheduleSpec = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('StepLR'), stepSize: positiveInt, gamma: z.number().positive().default(0.1), interval: interval.default('epoch') }),
  z.strictObject({
    name: z.literal('MultiStepLR'),
    milestones: z.array(positiveInt).min(1),
    gamma: z.number().positive().default(0.1),
    interval: interval.default('epoch'),
  }),
  z.strictObject({ name: z.literal('ExponentialLR'), gamma: z.number().positive(), interval: interval.default('epoch') }),
  z.strictObject({
    name: z.literal('CosineAnnealingLR'),
    tMax: positiveInt.optional(),
    etaMin: z.number().min(0).default(0),
    interval: interval.default('epoch'),
  }),
  z.strictObject({
    name: z.literal('OneCycleLR'),
    maxLr: z.number().positive(),
    pctStart: z.number().gt(0).lt(1).default(0.3),
    divFactor: z.number().positive().default(25),
    finalDivFactor: z.number().positive().default(1e4),
    annealStrategy: z.enum(['cos', 'linear']).default('cos'),
    cycleMomentum: z.boolean().default(true),
    baseMomentum: z.number().min(0).lt(1).default(0.85),
    maxMomentum: z.number().min(0).lt(1).default(0.95),
    threePhase: z.boolean().default(false),
  }),
  z.strictObject({
    name: z.literal('ReduceLROnPlateau'),
    monitor,
    factor: z.number().gt(0).lt(1).default(0.1),
    patience: z.number().int().min(0).default(10),
    minLr: z.number().min(0).default(0),
  }),
]);

/** The recipe's schema version: a recipe of another version is refused, not guessed at. */
export const RECIPE_VERSION = 1;

export const TrainRecipeSchema = z
  .strictObject({
    version: z.literal(RECIPE_VERSION),
    model: ModelSpec,
    data: z
      .strictObject({
        /** The verified Fashion-MNIST files (where they are is a runtime hook, not part of the run). */
        source: z.literal('fashion-mnist').default('fashion-mnist'),
        /** Seed of the subset and the validation split (trials of one study share it). Default 0. */
        seed: z.number().int().min(0).default(0),
        /** A stratified subset of the training images (stage 2's 6,000). Default all. */
        subset: positiveInt.optional(),
        /** Fraction of the training images held out for validation, stratified. Default 0.1. */
        validation: z.number().min(0).lt(1).default(0.1),
        /**
         * Where the validation images come from when there is a `subset`: 'subset' splits the subset
         * (the tuner's trials); 'outside' holds them out of all the training images first and draws
         * the subset from the rest, so every subset image trains (stage 2). Default 'subset'.
         */
        validationFrom: z.enum(['subset', 'outside']).default('subset'),
        /** A stratified sample of that many validation images (quick runs). Default all of them. */
        validationSubset: positiveInt.optional(),
        batchSize: positiveInt.default(64),
        /** 'standard' is Fashion-MNIST's mean and std. Default 'unit' ([0, 1]). */
        normalize: Normalization.default('unit'),
        /** Training augmentation, applied in order (a `Resize` first applies to every split). */
        augment: z.array(AugmentSpec).default([]),
      })
      .prefault({}),
    fit: z.strictObject({
      epochs: positiveInt,
      /** Fixes the weights, shuffling, dropout and augmentation (the split has data.seed). Default 0. */
      seed: z.number().int().min(0).default(0),
      optimizer: OptimizerSpec.prefault({ name: 'adam' }),
      schedule: ScheduleSpec.optional(),
      labelSmoothing: z.number().min(0).lt(1).default(0),
      gradientClip: z.strictObject({ norm: z.number().positive().optional(), value: z.number().positive().optional() }).optional(),
      ema: z.strictObject({ decay: z.number().gt(0).lt(1) }).optional(),
      earlyStopping: z
        .strictObject({
          monitor,
          patience: z.number().int().min(0),
          minDelta: z.number().min(0).default(0),
          restoreBestWeights: z.boolean().default(true),
        })
        .optional(),
    }),
    evaluate: z
      .strictObject({
        /** Test-time views averaged with the plain one. Default none. */
        tta: z.array(z.literal('hflip')).default([]),
        /** Batch size of validation and test (the figures' float rounding can depend on it). Default 500. */
        batchSize: positiveInt.default(500),
        /** The first that many test images (quick runs; indices stay those of the full set). Default all 10,000. */
        testImages: z.number().int().min(1).max(10_000).optional(),
      })
      .prefault({}),
  })
  .superRefine((recipe, ctx) => {
    // What one field cannot check alone: refused at parse time, naming the path, not after an epoch.
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const monitored: [PropertyKey[], string | undefined][] = [
      [['fit', 'earlyStopping', 'monitor'], recipe.fit.earlyStopping?.monitor],
      [['fit', 'schedule', 'monitor'], recipe.fit.schedule?.name === 'ReduceLROnPlateau' ? recipe.fit.schedule.monitor : undefined],
    ];
    for (const [path, monitor] of monitored) {
      if (monitor === undefined) continue;
      if (monitor.startsWith('val_') && recipe.data.validation === 0) issue(path, `${monitor} needs a validation split (data.validation > 0)`);
    }
    const o = recipe.fit.optimizer;
    if (o.name === 'sgd' && o.nesterov && (o.momentum <= 0 || o.dampening !== 0))
      issue(['fit', 'optimizer', 'nesterov'], 'Nesterov momentum needs momentum > 0 and dampening 0');
    const { subset, validation, validationFrom, validationSubset } = recipe.data;
    // The split's sizes, as trainValSplit makes them (60,000 training images).
    const pool = validationFrom === 'outside' ? 60_000 - Math.round(60_000 * validation) : 60_000;
    if (subset !== undefined && subset > pool)
      issue(['data', 'subset'], `expected at most ${pool} training images${pool < 60_000 ? ' (those left after the validation split)' : ''}, got ${subset}`);
    if (validationSubset !== undefined) {
      const held = Math.round((validationFrom === 'outside' ? 60_000 : (subset ?? 60_000)) * validation);
      if (validation === 0) issue(['data', 'validationSubset'], 'needs a validation split (data.validation > 0)');
      else if (validationSubset > held) issue(['data', 'validationSubset'], `expected at most the ${held} validation images, got ${validationSubset}`);
    }
    const augment = recipe.data.augment;
    const resizes = augment.flatMap((a, i) => (a.name === 'Resize' ? [i] : []));
    if (resizes.length > 1) issue(['data', 'augment', resizes[1]], 'one Resize at most (it sets the image size every split and the model take)');
    const side = augment.find((a) => a.name === 'Resize')?.size ?? 28;
    augment.forEach((a, i) => {
      if (a.name === 'RandomCrop' && a.size !== side)
        issue(['data', 'augment', i, 'size'], `expected the image size ${side} (the model's input), got ${a.size}`);
    });
  });

/** One training run as plain, JSON-serialisable data (`TrainRecipeInput` is what a user may write, defaults left out). */
export type TrainRecipe = z.output<typeof TrainRecipeSchema>;
export type TrainRecipeInput = z.input<typeof TrainRecipeSchema>;
export type AugmentSpec = z.output<typeof AugmentSpec>;
export type ScheduleSpec = z.output<typeof ScheduleSpec>;
export type ModelSpec = z.output<typeof ModelSpec>;

function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, withoutUndefined(v)]),
    ) as T;
  }
  return value;
}

/** A path as users write it: `fit.optimizer.lr`, `data.augment[1].padding`. */
function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

/**
 * Validates a recipe and fills its defaults. A bad field is one `TrainerError` naming its path and
 * what was expected: `recipe fit.optimizer.lr: Too small: expected number to be >0`.
 */
export function parseRecipe(value: unknown): TrainRecipe {
  const result = TrainRecipeSchema.safeParse(value);
  // Plain JSON data: an optional field given as undefined is left out, as JSON would.
  if (result.success) return withoutUndefined(result.data);
  const issue = result.error.issues[0];
  const where = pathText(issue.path) || '(the recipe)';
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
  throw new TrainerError(`recipe ${where}: ${issue.message}${more}`);
}
