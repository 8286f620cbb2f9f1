import type { ImageDataset } from '@fmnist/data';
import { type Callback, ProgressBar, type RecipeRun, runRecipe, type TrainRecipe } from '@fmnist/trainer';
import type { StageHooks } from './stage-hooks';

/** The progress display of a stage's fit: a live line on a terminal, else plain lines through `log`. */
export function stageProgress(hooks: StageHooks, label?: string): ProgressBar {
  const log = hooks.log ?? console.log;
  const labelled = label === undefined ? {} : { label };
  return new ProgressBar(hooks.live ? labelled : { write: (t) => log(t.trimEnd()), live: false, ...labelled });
}

/** What a stage adds to one of its recipe runs: the loaded data and callbacks that only watch (monitors). */
export interface StageFitOptions {
  data: { train: ImageDataset; test: ImageDataset } | Promise<{ train: ImageDataset; test: ImageDataset }>;
  /** Watchers (an OverfittingMonitor), before the progress display and the hooks' callbacks. */
  callbacks?: Callback[];
  /** The progress line's label. */
  label?: string;
}

/** Runs one of a stage's recipes, named `fit` (its backups' name), with the stage's progress display and the hooks' callbacks. */
export function runStageRecipe(fit: string, recipe: TrainRecipe, hooks: StageHooks, options: StageFitOptions): Promise<RecipeRun> {
  return runRecipe(recipe, {
    data: options.data,
    callbacks: [...(options.callbacks ?? []), stageProgress(hooks, options.label), ...(hooks.fitCallbacks?.(fit) ?? [])],
  });
}
