export { runCli } from './cli';
export type { ArgumentDef, Command, Io, OptionDef, OptionTable, Values } from './command';
export { commands } from './commands';
export { formatTable } from '@fmnist/core';
export { UsageError } from './usage-error';
export { fixedTrial, type SearchTrial, type TuneConfig, trialRecipe } from './tune-objective';
