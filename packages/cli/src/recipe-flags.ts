import type { ModelName } from '@fmnist/models';
import { MODEL_NAMES } from '@fmnist/models';
import { OPTIMIZER_NAMES, parseRecipe, type TrainRecipe } from '@fmnist/trainer';
import { augmentFromFlag } from './augment-flags';
import type { Values } from './command';
import { modelFlagOptions } from './model-flags';
import { choice, int, num, str } from './options';
import { SCHEDULES, scheduleFromFlag } from './schedule-flags';
import { ttaViews } from './tta-flag';
import { UsageError } from './usage-error';

type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** torch.optim's default learning rate, and the CLI's (SGD: 0.01, the others: 1e-3). */
const defaultLr = (name: OptimizerName) => (name === 'sgd' ? 0.01 : 1e-3);

/**
 * The recipe `fmnist train` runs: `base` (from `--recipe FILE`) with every flag given on the
 * command line overriding its own field only, or the flags alone with the CLI's defaults. Values
 * the CLI derives from other flags (OneCycleLR's maxLr from --lr, StepLR's step from --epochs) are
 * derived only where --schedule is given. Flags refuse bad values naming the flag; the recipe itself
 * is checked by its schema (naming the field).
 */
export function recipeFromFlags(values: Values, base?: TrainRecipe): TrainRecipe {
  const given = (flag: string) => values[flag] !== undefined;
  const name = str(values, 'model') ?? base?.model.name;
  if (!name) throw new UsageError(`--model is required: one of ${MODEL_NAMES.join(', ')}`);
  if (!MODEL_NAMES.includes(name as ModelName)) throw new UsageError(`--model: expected one of ${MODEL_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  const sameModel = base?.model.name === name;
  const modelOptions = { ...(sameModel ? base?.model.options : {}), ...modelFlagOptions(name as ModelName, values) };

  const fit = base?.fit;
  const epochs = int(values, 'epochs', fit?.epochs ?? 5, 1, 10_000);
  const optimizerName = choice(values, 'optimizer', OPTIMIZER_NAMES, fit?.optimizer.name ?? 'adam');
  // The base's optimizer (every option written out) is kept when its name is; a flag sets only its own field.
  const baseOptimizer = fit?.optimizer.name === optimizerName ? fit.optimizer : undefined;
  const takesMomentum = optimizerName === 'sgd' || optimizerName === 'rmsprop';
  if (given('momentum') && !takesMomentum) throw new UsageError(`--momentum: optimizer ${optimizerName} does not take it (sgd and rmsprop do)`);
  const lr = num(values, 'lr', defaultLr(optimizerName), 1e-12, 100);
  const momentum = num(values, 'momentum', optimizerName === 'sgd' ? 0.9 : 0, 0, 0.999999);
  const weightDecay = num(values, 'weight-decay', 0, 0, 10);
  const own = (flag: string) => given(flag) || !baseOptimizer;
  const optimizer = {
    ...baseOptimizer,
    name: optimizerName,
    ...(own('lr') ? { lr } : {}),
    ...(takesMomentum && own('momentum') ? { momentum } : {}),
    ...(own('weight-decay') ? { weightDecay } : {}),
  };

  const schedule = given('schedule') ? scheduleFromFlag(choice(values, 'schedule', SCHEDULES, 'none'), epochs, optimizer.lr ?? lr) : fit?.schedule;
  const validation = num(values, 'val', base?.data.validation ?? 0.1, 0, 0.9);
  if (validation === 0 && schedule?.name === 'ReduceLROnPlateau')
    throw new UsageError('--schedule plateau watches val_loss: it needs a validation split (--val > 0)');
  const patience = values.patience === undefined ? undefined : int(values, 'patience', 3, 0);
  const earlyStopping = patience !== undefined ? { monitor: 'val_loss', patience, minDelta: 0, restoreBestWeights: true } : fit?.earlyStopping;
  if (validation === 0 && earlyStopping?.monitor.startsWith('val_'))
    throw new UsageError('--patience stops on val_loss: it needs a validation split (--val > 0)');
  const ema = values.ema === undefined ? fit?.ema : { decay: num(values, 'ema', 0.999, 0.5, 0.99999) };
  const tta = ttaViews(values) ?? base?.evaluate.tta ?? [];
  const subset = values.subset === undefined ? base?.data.subset : int(values, 'subset', 6000, 10, 60_000);
  const normalize = given('normalize') ? choice(values, 'normalize', ['unit', 'standard'] as const, 'unit') : (base?.data.normalize ?? 'unit');

  // --seed fixes everything, the split included (the recipe keeps the data's seed apart for studies).
  // The schema checks what the flags built (model options are checked per model there).
  const seed = int(values, 'seed', fit?.seed ?? 0, 0, 2 ** 32 - 1);
  return parseRecipe({
    version: 1,
    model: { name, options: modelOptions },
    data: {
      source: 'fashion-mnist',
      seed: given('seed') ? seed : (base?.data.seed ?? seed),
      subset,
      validation,
      batchSize: int(values, 'batch', base?.data.batchSize ?? 64, 1, 65_536),
      normalize,
      augment: given('augment') ? augmentFromFlag(String(values.augment)) : (base?.data.augment ?? []),
    },
    fit: {
      epochs,
      seed,
      optimizer,
      schedule,
      labelSmoothing: num(values, 'label-smoothing', fit?.labelSmoothing ?? 0, 0, 0.99),
      gradientClip: fit?.gradientClip,
      ema,
      earlyStopping,
    },
    evaluate: { tta },
  });
}
