// Stage 3: the same MLP on all 60,000 images (54,000 train, 6,000 validation). Ten times the data
// closes most of stage 2's gap; a one-cycle schedule gets the last points.
import { initBackend } from '@fmnist/backend';
import { loadFashionMnist } from '@fmnist/data';
import { runStageRecipe, type StageDefinition, type StageHooks, type StagePlan, type StageSize } from '@fmnist/example-stage-kit';
import { OverfittingMonitor, parseRecipe, type TrainRecipe } from '@fmnist/trainer';

export type Stage3Plan = StagePlan;

export function stage3Recipe(size: StageSize): TrainRecipe {
  return parseRecipe({
    version: 1,
    model: { name: 'mlp-small' },
    data: { validation: 0.1, batchSize: 64 },
    fit: {
      epochs: size === 'quick' ? 1 : 15,
      optimizer: { name: 'adam', lr: 1e-3 },
      schedule: { name: 'OneCycleLR', maxLr: 3e-3 },
      earlyStopping: { monitor: 'val_loss', patience: 4 },
    },
    evaluate: { batchSize: 1000 },
  });
}

async function run(plan: Stage3Plan, hooks: StageHooks) {
  const log = hooks.log ?? console.log;
  await initBackend();
  const recipe = plan.recipes.main;
  const monitor = new OverfittingMonitor();
  log(`stage 3: mlp-small on 54000 images, ${recipe.fit.epochs} epochs, Adam with a one-cycle schedule`);
  const data = { train: await loadFashionMnist({ split: 'train' }), test: await loadFashionMnist({ split: 'test' }) };
  const { report, model } = await runStageRecipe('main', recipe, hooks, { data, callbacks: [monitor] });
  model.dispose();
  log(`  test accuracy ${(report.testAccuracy * 100).toFixed(2)}%; train-val gap ${((report.gap ?? 0) * 100).toFixed(1)} points`);
  return { ...report, overfitting: monitor.report() };
}

export const stage3: StageDefinition<Stage3Plan> = {
  stage: 3,
  app: 'MLP on all 60,000 images',
  reference: 0.88,
  target: 0.885,
  plan: (size) => ({ recipes: { main: stage3Recipe(size) }, steps: {} }),
  run,
};
