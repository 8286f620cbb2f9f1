import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { BackupAndRestore, Callback } from '@fmnist/trainer';

/** What decides a stage's result: the stage, quick or full, and the environment knobs stages read. */
export interface StageConfig {
  stage: number;
  quick: boolean;
  /** `--long` (stage 6's long schedule); recorded for stage 6 only, the one stage it changes. */
  long?: boolean;
  /** Environment variables that change what a stage does (FMNIST_VGG_EPOCHS, FMNIST_WINOGRAD, ...). */
  env: Record<string, string>;
  /** sha256 of the above: a resumed journey skips a stage only when its file has the same. */
  hash: string;
}

// Bump when a stage's recipe or the library's numbers change, so resumed journeys do not keep results
// of the old one (3: the trainer's semantics changed: best weights, frozen batch norm, OneCycleLR's
// momentum, per-parameter optimizer state). Until the stages are recipes whose hashes replace it.
const RECIPE_VERSION = 3;
const KNOBS = ['FMNIST_VGG_EPOCHS', 'FMNIST_WINOGRAD', 'FMNIST_RELAXED_SIMD', 'FMNIST_THREADS', 'FMNIST_BACKEND'];

export function stageConfig(stage: number, quick: boolean, long = false): StageConfig {
  const env = Object.fromEntries(KNOBS.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k] as string]));
  const extra = stage === 6 && long ? { long: true } : {};
  const hash = createHash('sha256')
    .update(JSON.stringify({ stage, quick, ...extra, env, recipe: RECIPE_VERSION }))
    .digest('hex');
  return { stage, quick, ...extra, env, hash };
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
