export { runCli } from './cli';
export type { Command, Io } from './command';
export { commands } from './commands';
export { formatTable } from '@fmnist/core';
export { UsageError } from './usage-error';
export { studySummary } from './commands/tune';
export { createPruner, createSampler, objective as stage4Objective, type TuneConfig, tuneConfig } from './tune-objective';
