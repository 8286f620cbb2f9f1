// Stage 2: the MLP 784-128-64-10 on a stratified 6,000-image subset (600 per class). Small data,
// so watch the gap between training and validation accuracy grow: the journey's theme.
import { initBackend } from '@fmnist/backend';
import { DataLoader, loadFashionMnist, stratifiedSubset, trainValSplit } from '@fmnist/data';
import { createModel } from '@fmnist/models';
import { EarlyStopping, evaluate, fit, OneCycleLR, OverfittingMonitor, ProgressBar, runReport, type Callback } from '@fmnist/trainer';

export interface StageOptions {
  quick?: boolean;
  log?: (line: string) => void;
  /** Extra callbacks for each of this stage's fits, by fit name (the journey's epoch backups). */
  fitCallbacks?: (fit: string) => Callback[];
  /** Progress as a live line on stderr (a terminal); default plain lines through `log` every 30 s. */
  live?: boolean;
}

export async function run(options: StageOptions = {}) {
  const log = options.log ?? console.log;
  await initBackend();
  const test = await loadFashionMnist({ split: 'test' });
  // Validation images come from outside the subset, so all 6,000 are for training.
  const { train: pool, val } = trainValSplit(await loadFashionMnist({ split: 'train' }), { valSize: 6000, seed: 0 });
  const train = stratifiedSubset(pool, 6000, { seed: 0 });
  // Small data overfits: dropout, decoupled weight decay and label smoothing keep the gap in check.
  const model = createModel('mlp-small', { seed: 0, dropout: 0.2 });
  const monitor = new OverfittingMonitor();
  const epochs = options.quick ? 3 : 25;
  log(`stage 2: mlp-small on a stratified subset of ${train.count} images (600 per class), ${val.count} other images for validation`);
  const history = await fit(model, new DataLoader(train, { batchSize: 32, seed: 0 }), {
    epochs,
    seed: 0,
    optimizer: { name: 'adamw', lr: 1e-3, weightDecay: 0.05 },
    labelSmoothing: 0.1,
    validation: new DataLoader(val, { batchSize: 1000, shuffle: false }),
    callbacks: [
      new OneCycleLR({ maxLr: 3e-3 }),
      new EarlyStopping({ monitor: 'val_loss', patience: 6, restoreBestWeights: true }),
      monitor,
      new ProgressBar(options.live ? {} : { write: (t) => log(t.trimEnd()), live: false }),
      ...(options.fitCallbacks?.('main') ?? []),
    ],
  });
  const report = runReport(model, history, await evaluate(model, new DataLoader(test, { batchSize: 1000, shuffle: false })), { name: 'mlp-small' });
  const overfit = monitor.report();
  log(
    `  test accuracy ${(report.testAccuracy * 100).toFixed(2)}%; train-val gap ${(overfit.finalGap * 100).toFixed(1)} points (max ${(overfit.maxGap * 100).toFixed(1)}): ${overfit.verdict}`,
  );
  return {
    stage: 2,
    app: 'MLP on a 6,000-image subset',
    ...report,
    referenceAccuracy: 0.84,
    target: 0.84,
    met: report.testAccuracy >= 0.84,
    overfitting: overfit,
  };
}
