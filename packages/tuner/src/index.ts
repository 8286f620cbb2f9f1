export { createStudy, type CreateStudyOptions, deleteStudy, loadStudy, resolveStorage, type StorageLike } from './create-study';
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
export { Rng } from './rng';
export { type RunWorkersOptions, runWorkers } from './run-workers';
export { GridSampler } from './samplers/grid-sampler';
export { defaultWeights, ParzenEstimator } from './samplers/parzen-estimator';
export { QMCSampler } from './samplers/qmc-sampler';
export { RandomSampler, sampleUniform } from './samplers/random-sampler';
export type { Sampler, StudyView } from './samplers/sampler';
export { defaultGamma, TPESampler, type TPESamplerOptions } from './samplers/tpe-sampler';
export { FileJournalBackend } from './storage/file-journal-backend';
export { type JournalBackend, MemoryJournalBackend } from './storage/journal-backend';
export { JournalOperation } from './storage/journal-replay';
export { JournalFileStorage } from './storage/journal-file-storage';
export { InMemoryStorage, JournalStorage } from './storage/journal-storage';
export { PostgresStorage, type PostgresStorageOptions } from './storage/postgres-storage';
export type { Storage, StudySummary, TrialTemplate } from './storage/storage';
export { type Objective, type OptimizeOptions, Study } from './study';
export { Trial } from './trial';
export { TrialPruned } from './trial-pruned';
export { type Direction, StudyDirection, TrialState } from './trial-state';
export { TunerError } from './tuner-error';
