export { runCli } from './cli';
export type { Command, Io } from './command';
export { commands } from './commands';
export { formatTable } from '@fmnist/core';
export { UsageError } from './usage-error';
export { fixedTrial, type SearchTrial, type TuneConfig, trialRecipe } from './tune-objective';
