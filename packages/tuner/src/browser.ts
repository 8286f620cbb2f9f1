// The browser entry: studies in memory (or any Storage object you pass), every sampler and pruner;
// journal files, PostgreSQL and worker processes need Node.
export { createStudy, deleteStudy, loadStudy, resolveStorage } from './create-study-browser';
export type { CreateStudyOptions, StorageLike } from './study-factory';
export {
  type CategoricalChoice,
  type CategoricalDistribution,
  categoricalDistribution,
  type Distribution,
  distributionFromJson,
  distributionToJson,
  type FloatDistribution,
  floatDistribution,
  type IntDistribution,
  intDistribution,
  type ParamValue,
} from './distributions';
export { type FrozenTrial, lastIntermediate } from './frozen-trial';
export { getParamImportances } from './importance';
export { type PlotData, plotData } from './plot-data';
export { HyperbandPruner } from './pruners/hyperband-pruner';
export { MedianPruner, PercentilePruner, type PercentilePrunerOptions } from './pruners/percentile-pruner';
export { NopPruner, type Pruner } from './pruners/pruner';
export { SuccessiveHalvingPruner, type SuccessiveHalvingOptions } from './pruners/successive-halving-pruner';
export { Rng } from '@fmnist/core';
export { GridSampler } from './samplers/grid-sampler';
export { defaultWeights, ParzenEstimator } from './samplers/parzen-estimator';
export { QMCSampler } from './samplers/qmc-sampler';
export { RandomSampler, sampleUniform } from './samplers/random-sampler';
export type { Sampler, StudyView } from './samplers/sampler';
export { defaultGamma, TPESampler, type TPESamplerOptions } from './samplers/tpe-sampler';
export { type JournalBackend, MemoryJournalBackend } from './storage/journal-backend';
export { JournalOperation } from './storage/journal-replay';
export { InMemoryStorage, JournalStorage } from './storage/journal-storage';
export type { Storage, StudySummary, TrialTemplate } from './storage/storage';
export { type CatchErrors, type Objective, type OptimizeOptions, Study } from './study';
export { Trial } from './trial';
export { TrialPruned } from './trial-pruned';
export { type Direction, StudyDirection, TrialState, trialStateFromOptuna, trialStateToOptuna } from './trial-state';
export { TunerError } from './tuner-error';
