export { runCli } from './cli';
export type { Command, Io } from './command';
export { commands } from './commands';
export { formatTable } from './format-table';
export { UsageError } from './usage-error';
