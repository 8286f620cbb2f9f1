import type { TrainRecipe } from '@fmnist/trainer';
import type { StageFigures } from './stage-result';
import type { StageHooks } from './stage-hooks';

/** Which budget a stage runs on: `quick` for a smoke test, `full` the stage itself, `long` a longer recipe where a stage has one (stage 6). */
export type StageSize = 'quick' | 'full' | 'long';

/** Plain JSON data: what a plan's custom steps are written in, so that they hash as the recipes do. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * What a stage runs, as data: its training runs as recipes, by fit name, and the steps that are not
 * recipes (stage 1's hand-written loop, stage 4's study, stage 6's transfer fits, stage 7's
 * profiling) as typed plain data. The journey hashes a plan to tell one configuration from another,
 * and the stage runs exactly the plan it is given, so the hash is of what runs.
 */
export interface StagePlan<Steps extends Record<string, Json> = Record<string, Json>> {
  recipes: Record<string, TrainRecipe>;
  steps: Steps;
}

/** A stage of the journey: what it is, what it must reach, and how it runs a plan. */
export interface StageDefinition<Plan extends StagePlan = StagePlan> {
  stage: number;
  /** What the stage shows, in a few words (the report's title). */
  app: string;
  /** The original notebook's test accuracy (stage 1: the majority-class baseline of its binary task). */
  reference: number;
  /** The test accuracy the stage must reach: it is `met` when `testAccuracy >= target` (`stageMet`). */
  target: number;
  /** The stage's plan at a budget. Environment knobs that change a run (FMNIST_VGG_EPOCHS) are read here, into the plan. */
  plan(size: StageSize): Plan;
  /** Runs `plan`; the hooks change no figure. */
  run(plan: Plan, hooks: StageHooks): Promise<StageFigures>;
}
