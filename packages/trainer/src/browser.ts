// The browser entry: the training loop and callbacks without files or signals (no checkpoints,
// CSV logs or terminal progress bar).
export { Callback, type Logs, resolveMode, type TrainerControl } from './callbacks/callback';
export { CallbackList, type CallbackSnapshot } from './callbacks/callback-list';
export { EarlyStopping, type EarlyStoppingOptions } from './callbacks/early-stopping';
export { type CustomMetrics, MODEL_METRICS, type MetricName, type ModelMetric, RUN_METRICS, type RunMetric } from './callbacks/metric-name';
export { ExponentialMovingAverage, type ExponentialMovingAverageOptions } from './callbacks/exponential-moving-average';
export { OverfittingMonitor, type OverfittingReport } from './callbacks/overfitting-monitor';
export { TerminateOnNaN } from './callbacks/terminate-on-nan';
export { type PrunableTrial, TrialPruningCallback, type TrialPruningCallbackOptions } from './callbacks/trial-pruning-callback';
export { type ClassMetrics, type EvaluateOptions, type Evaluation, evaluate, type TtaView } from './evaluate';
export { fit } from './fit-browser';
export type { FitHyperparameters, FitOptions, FitRuntimeOptions, History } from './fit-core';
export { correctCount, countCorrect, type LossName, lossFromLogits } from './losses';
export { Adam, type AdamOptions, AdamW } from './optimizers/adam';
export { createOptimizer, OPTIMIZER_NAMES, type OptimizerConfig, type OptimizerName } from './optimizers/create-optimizer';
export { Optimizer, type OptimizerState, type SlotData } from './optimizers/optimizer';
export { RMSprop, type RMSpropOptions } from './optimizers/rmsprop';
export { SGD, type SGDOptions } from './optimizers/sgd';
export { CosineAnnealingLR, CosineAnnealingWarmRestarts } from './schedulers/cosine-annealing-lr';
export { LinearWarmup } from './schedulers/linear-warmup';
export { LRScheduler } from './schedulers/lr-scheduler';
export { type RunFingerprint, runFingerprint } from './run-fingerprint';
export { type RunReport, runReport } from './run-report';
export { OneCycleLR, type OneCycleLROptions } from './schedulers/one-cycle-lr';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './schedulers/reduce-lr-on-plateau';
export { ExponentialLR, LinearLR, MultiStepLR, StepLR } from './schedulers/step-lr';
export { clipGradients, type StepHyperparameters, TRAIN_STEP_SYNC_ERROR, type TrainStepOptions, trainStep, trainStepAsync } from './train-step';
export { fromLayersModel, isLayersModel, restoreWeights, snapshotWeights, type Trainable, toTrainable } from './trainable';
export { TrainerError } from './trainer-error';
export { canonicalJson } from './recipe/canonical-json';
export { recipeDifference } from './recipe/recipe-difference';
export {
  dependsOnEpochs,
  type RecipeSplits,
  recipeCallbacks,
  recipeEvaluationLoader,
  recipeModel,
  recipeModelOptions,
  recipeNormalization,
  recipeOptimizer,
  recipeSplits,
  recipeTrainingLoader,
  recipeTransforms,
} from './recipe/recipe-parts';
export { parseRecipe, RECIPE_VERSION, type TrainRecipe, type TrainRecipeInput, TrainRecipeSchema } from './recipe/train-recipe';
