// The Node entry: everything in the browser entry, plus file checkpoints, logs, the terminal progress bar and Ctrl-C.
export * from './browser';
export { BackupAndRestore, type BackupAndRestoreOptions } from './callbacks/backup-and-restore';
export { CSVLogger, JSONLLogger } from './callbacks/csv-logger';
export { ModelCheckpoint, type ModelCheckpointOptions } from './callbacks/model-checkpoint';
export { ProgressBar, type ProgressBarOptions } from './callbacks/progress-bar';
export { flattenHParams, TensorBoard, type TensorBoardOptions } from './callbacks/tensorboard';
export type { HParamValue } from './callbacks/tensorboard-summary';
export { hasCheckpoint, type LoadedCheckpoint, readCheckpoint, type TrainingState, writeCheckpoint } from './checkpoint';
export { type FitOptions, fit, type History } from './fit';
export { recipeHash } from './recipe/recipe-hash';
export { type RecipeHooks, type RecipeRun, runRecipe } from './recipe/run-recipe';
