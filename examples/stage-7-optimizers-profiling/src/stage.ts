// Stage 7: the MLP 784-512-512-10. SGD with momentum against Adam, each with and without a
// cosine schedule, then Adam with flips and a resize to 32x32; last, the profile of the model on
// every backend this machine has, WebGPU included (a software adapter where there is no GPU,
// labelled so): latency per batch, throughput, memory, and the CPU-vs-GPU table of batches of 64.
import { type BackendChoice, initBackend } from '@fmnist/backend';
import { loadFashionMnist } from '@fmnist/data';
import { runStageRecipe, type StageDefinition, type StageHooks, type StagePlan, type StageSize } from '@fmnist/example-stage-kit';
import { createModel } from '@fmnist/models';
import {
  adapterDevice,
  type BackendSetup,
  type ComparedResult,
  compareBackends,
  formatBackendComparison,
  formatResultsTable,
  type UnavailableBackend,
} from '@fmnist/profiler';
import { parseRecipe, type TrainRecipe, type TrainRecipeInput } from '@fmnist/trainer';

/** The profile as data: the model on each backend this machine has, inference and training. */
export type ProfileStep = {
  model: 'mlp-wide';
  /** Tried in order; those that cannot run here are left out, each with a line saying why. */
  backends: BackendChoice[];
  inferBatchSizes: number[];
  trainBatchSizes: number[];
  /** Measuring time per batch size and backend. */
  minTimeMs: number;
  /**
   * On a software WebGPU adapter (the GPU's work on the CPU: a correctness run, its times are no
   * GPU's), the measurement is cut to these: the seed's batch of 64 only, the fewest iterations.
   */
  softwareAdapter: { batchSizes: number[]; minTimeMs: number; warmup: number };
};

export type Stage7Plan = StagePlan<{ profile: ProfileStep }>;

const VARIANTS: { name: string; optimizer: TrainRecipeInput['fit']['optimizer']; schedule: boolean; augment: boolean }[] = [
  { name: 'SGD momentum 0.9', optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 }, schedule: false, augment: false },
  { name: 'SGD momentum 0.9 + cosine', optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 }, schedule: true, augment: false },
  { name: 'Adam', optimizer: { name: 'adam', lr: 1e-3 }, schedule: false, augment: false },
  { name: 'Adam + cosine', optimizer: { name: 'adam', lr: 1e-3 }, schedule: true, augment: false },
  { name: 'Adam + cosine + flips + resize 32', optimizer: { name: 'adam', lr: 1e-3 }, schedule: true, augment: true },
];

/**
 * The variants' recipes, by name. 10 epochs: with 8, Adam + cosine scored 89.21% in one full run and
 * 88.97% in the next (the kernels' float rounding differs), on the edge of the 89% target.
 */
export function stage7Recipes(size: StageSize): Record<string, TrainRecipe> {
  const quick = size === 'quick';
  return Object.fromEntries(
    VARIANTS.map((v) => [
      v.name,
      parseRecipe({
        version: 1,
        model: { name: 'mlp-wide', options: { dropout: 0.2 } },
        data: {
          // Quick: 3,000 training images; validation and test in full.
          ...(quick ? { subset: 3000, validationFrom: 'outside' } : {}),
          validation: 0.1,
          batchSize: 64,
          augment: v.augment ? [{ name: 'RandomHorizontalFlip' }, { name: 'Resize', size: 32 }] : [],
        },
        fit: {
          epochs: quick ? 1 : 10,
          optimizer: v.optimizer,
          ...(v.schedule ? { schedule: { name: 'CosineAnnealingLR' } } : {}),
          labelSmoothing: 0.1, // measured: 89.21% vs 88.83% for Adam + cosine without it
        },
        evaluate: { batchSize: 1000 },
      }),
    ]),
  );
}

/**
 * What stage 7 prints of its profile: every result, then the CPU-vs-GPU table of batches of 64
 * (latency p50/p95, throughput, memory per backend; a software adapter labelled so), and a line
 * for each backend that could not run (`webgpu: not available: <reason>`).
 */
export function formatProfile(results: ComparedResult[], unavailable: UnavailableBackend[]): string {
  const parts = results.length > 0 ? [formatResultsTable(results), ''] : [];
  parts.push('CPU vs GPU, per batch of 64:', formatBackendComparison(results, { batch: 64, unavailable }));
  return parts.join('\n');
}

/** A backend of the profile: activated by initBackend; WebGPU names its adapter, and a software one is measured briefly. */
function setupFor(backend: BackendChoice, step: ProfileStep): BackendSetup {
  return {
    label: backend,
    activate: async () => {
      const { webgpu } = await initBackend({ backend });
      if (!webgpu) return {};
      const { batchSizes, minTimeMs, warmup } = step.softwareAdapter;
      return { device: adapterDevice(webgpu), ...(webgpu.software ? { options: { batchSizes, minTimeMs, warmup } } : {}) };
    },
  };
}

async function profile(step: ProfileStep, restore: BackendChoice, log: (l: string) => void) {
  const setups: BackendSetup[] = [];
  const unavailable: UnavailableBackend[] = [];
  for (const b of step.backends) {
    try {
      await initBackend({ backend: b });
      setups.push(setupFor(b, step));
    } catch (error) {
      unavailable.push({ backend: b, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  const build = () => createModel(step.model, { seed: 0 });
  const infer = await compareBackends(build, setups, { mode: 'infer', batchSizes: step.inferBatchSizes, minTimeMs: step.minTimeMs });
  const train = await compareBackends(build, setups, { mode: 'train', batchSizes: step.trainBatchSizes, minTimeMs: step.minTimeMs });
  const results = [...infer, ...train];
  log(formatProfile(results, unavailable));
  await initBackend({ backend: restore });
  return { results, unavailable };
}

async function run(plan: Stage7Plan, hooks: StageHooks) {
  const log = hooks.log ?? console.log;
  const started = performance.now();
  const backend = await initBackend();
  const data = { train: await loadFashionMnist({ split: 'train' }), test: await loadFashionMnist({ split: 'test' }) };
  const names = Object.keys(plan.recipes);
  const first = plan.recipes[names[0]];
  log(`stage 7: mlp-wide, ${names.length} optimizer/schedule/augmentation variants, ${first.fit.epochs} epochs each on ${first.data.subset ?? 54000} images`);
  const runs = [];
  for (const name of names) {
    const { report, model } = await runStageRecipe(name, plan.recipes[name], hooks, { data, label: `  [${name}] ` });
    model.dispose();
    runs.push({ variant: name, ...report });
  }
  for (const r of runs) log(`  ${r.variant.padEnd(36)} test ${(r.testAccuracy * 100).toFixed(2)}%  (${r.seconds.toFixed(0)} s)`);
  const profiled = await profile(plan.steps.profile, backend.name, log);
  // The reported model is chosen on validation accuracy; the test set only scores the choice.
  const best = runs.filter((r) => r.variant.startsWith('Adam')).sort((a, b) => (b.valAccuracy ?? 0) - (a.valAccuracy ?? 0))[0];
  return {
    ...best,
    seconds: (performance.now() - started) / 1000,
    variants: runs.map(({ history, confusionMatrix, perClass, mistakes, ...rest }) => ({ ...rest, history })),
    profile: profiled.results.map(({ kernels, machine, ...rest }) => rest),
    /** Backends of the profile that could not run here, each with its one-line reason. */
    profileUnavailable: profiled.unavailable.map((u) => ({ ...u, reason: u.reason.split('\n')[0] })),
  };
}

export const stage7: StageDefinition<Stage7Plan> = {
  stage: 7,
  app: 'MLP 512-512: optimizers, schedules, augmentation, profiling',
  reference: 0.89,
  target: 0.89,
  plan: (size) => ({
    recipes: stage7Recipes(size),
    steps: {
      profile: {
        model: 'mlp-wide',
        backends: ['wasm', 'cpu', 'tensorflow', 'webgpu'],
        inferBatchSizes: [1, 64, 1024],
        trainBatchSizes: [64],
        minTimeMs: size === 'quick' ? 200 : 1000,
        softwareAdapter: { batchSizes: [64], minTimeMs: 0, warmup: 1 },
      },
    },
  }),
  run,
};
