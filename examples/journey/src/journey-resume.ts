import { join } from 'node:path';
import { type Json, planHash, type StagePlan } from '@fmnist/example-stage-kit';
import { BackupAndRestore, Callback, recipeHash } from '@fmnist/trainer';

/** What decides a stage's result: its plan (the recipes' hashes and the custom steps) and the environment knobs that change the kernels' rounding. */
export interface StageConfig {
  stage: number;
  /** `recipeHash` of each of the plan's recipes, by fit name. */
  recipes: Record<string, string>;
  /** The plan's custom steps (stage 1's loop, stage 4's study, stage 6's transfer, stage 7's profile). */
  steps: Record<string, Json>;
  /** Environment variables that change the figures without changing a recipe (FMNIST_WINOGRAD, FMNIST_THREADS, ...). */
  env: Record<string, string>;
  /** `planHash` of the plan with the stage and the knobs: a resumed journey skips a stage only when its file has the same. */
  hash: string;
}

// Knobs read below the recipes: the kernels (and so the float rounding) and the backend. Knobs that
// change a recipe (FMNIST_VGG_EPOCHS) are read into the plan, and reach the hash through it.
const KNOBS = ['FMNIST_WINOGRAD', 'FMNIST_RELAXED_SIMD', 'FMNIST_THREADS', 'FMNIST_BACKEND'];

export function stageConfig(stage: number, plan: StagePlan): StageConfig {
  const env = Object.fromEntries(KNOBS.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k] as string]));
  const recipes = Object.fromEntries(Object.entries(plan.recipes).map(([name, recipe]) => [name, recipeHash(recipe)]));
  return { stage, recipes, steps: plan.steps, env, hash: planHash(plan, { stage, env }) };
}

/**
 * A deterministic kill point for tests: FMNIST_JOURNEY_KILL_AT=STAGE:FIT:EPOCH:BATCH SIGKILLs the
 * journey after that batch of that fit (fits are named by their stage: main, base, tuned, ...).
 */
class KillAt extends Callback {
  /** Not part of the run's fingerprint: a resumed run goes on without it. */
  readonly observesOnly = true;
  private epoch = -1;
  constructor(
    private readonly epochAt: number,
    private readonly batchAt: number,
  ) {
    super();
  }
  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }
  onBatchEnd(batch: number): void {
    if (this.epoch === this.epochAt && batch === this.batchAt) process.kill(process.pid, 'SIGKILL');
  }
}

/**
 * Where a stage's fit backups live: named by the stage's configuration hash, so a stage killed in a
 * full run and resumed with --quick (or the reverse) starts its own backups, never the other's.
 */
export function backupsDir(outDir: string, config: StageConfig): string {
  return join(outDir, 'backups', `stage-${config.stage}-${config.hash.slice(0, 16)}`);
}

/** The callbacks the journey adds to a stage's fit: an epoch backup kept until the stage ends, and the kill switch. */
export function journeyCallbacks(stage: number, fit: string, backups: string): Callback[] {
  const callbacks: Callback[] = [new BackupAndRestore({ backupDir: join(backups, fit.replace(/[^\w.-]+/g, '-')), deleteCheckpoint: false })];
  const kill = process.env.FMNIST_JOURNEY_KILL_AT?.split(':');
  if (kill && Number(kill[0]) === stage && kill[1] === fit) callbacks.push(new KillAt(Number(kill[2]), Number(kill[3])));
  return callbacks;
}
