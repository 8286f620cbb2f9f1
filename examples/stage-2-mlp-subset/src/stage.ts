// Stage 2: the MLP 784-128-64-10 on a stratified 6,000-image subset (600 per class). Small data,
// so watch the gap between training and validation accuracy grow: the journey's theme.
import { initBackend } from '@fmnist/backend';
import { loadFashionMnist } from '@fmnist/data';
import { runStageRecipe, type StageDefinition, type StageHooks, type StagePlan, type StageSize } from '@fmnist/example-stage-kit';
import { OverfittingMonitor, parseRecipe, type TrainRecipe } from '@fmnist/trainer';

export type Stage2Plan = StagePlan;

/**
 * The subset trains in full: validation images are held out of all 60,000 first (`validationFrom:
 * 'outside'`). Small data overfits: dropout, decoupled weight decay and label smoothing keep the gap in check.
 */
export function stage2Recipe(size: StageSize): TrainRecipe {
  return parseRecipe({
    version: 1,
    model: { name: 'mlp-small', options: { dropout: 0.2 } },
    data: { subset: 6000, validation: 0.1, validationFrom: 'outside', batchSize: 32 },
    fit: {
      epochs: size === 'quick' ? 3 : 25,
      optimizer: { name: 'adamw', lr: 1e-3, weightDecay: 0.05 },
      schedule: { name: 'OneCycleLR', maxLr: 3e-3 },
      labelSmoothing: 0.1,
      earlyStopping: { monitor: 'val_loss', patience: 6 },
    },
    evaluate: { batchSize: 1000 },
  });
}

async function run(plan: Stage2Plan, hooks: StageHooks) {
  const log = hooks.log ?? console.log;
  await initBackend();
  const monitor = new OverfittingMonitor();
  log('stage 2: mlp-small on a stratified subset of 6000 images (600 per class), 6000 other images for validation');
  const data = { train: await loadFashionMnist({ split: 'train' }), test: await loadFashionMnist({ split: 'test' }) };
  const { report, model } = await runStageRecipe('main', plan.recipes.main, hooks, { data, callbacks: [monitor] });
  model.dispose();
  const overfit = monitor.report();
  log(
    `  test accuracy ${(report.testAccuracy * 100).toFixed(2)}%; train-val gap ${(overfit.finalGap * 100).toFixed(1)} points (max ${(overfit.maxGap * 100).toFixed(1)}): ${overfit.verdict}`,
  );
  return { ...report, overfitting: overfit };
}

export const stage2: StageDefinition<Stage2Plan> = {
  stage: 2,
  app: 'MLP on a 6,000-image subset',
  reference: 0.84,
  target: 0.84,
  plan: (size) => ({ recipes: { main: stage2Recipe(size) }, steps: {} }),
  run,
};
