// One class for every package: defined in @fmnist/core, so the trainer's TrialPruningCallback throws
// the very class the tuner recognises (optuna.TrialPruned).
export { TrialPruned } from '@fmnist/core';
