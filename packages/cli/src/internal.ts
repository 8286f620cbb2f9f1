// Plumbing of the CLI that other packages and tests may reach: `@fmnist/cli/internal`, free to
// change between versions. The main entry (`runCli`, the commands) is the documented API.
export { studySummary } from './commands/tune';
export { createPruner, createSampler, objective as stage4Objective, type TuneConfig, tuneConfig } from './tune-objective';
