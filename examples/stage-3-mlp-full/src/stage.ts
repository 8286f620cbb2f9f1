// Stage 3: the same MLP on all 60,000 images (54,000 train, 6,000 validation). Ten times the data
// closes most of stage 2's gap; a one-cycle schedule gets the last points.
import { initBackend } from '@fmnist/backend';
import { DataLoader, loadFashionMnist, trainValSplit } from '@fmnist/data';
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
  const { train, val } = trainValSplit(await loadFashionMnist({ split: 'train' }), { valFraction: 0.1, seed: 0 });
  const test = await loadFashionMnist({ split: 'test' });
  const model = createModel('mlp-small', { seed: 0 });
  const monitor = new OverfittingMonitor();
  const epochs = options.quick ? 1 : 15;
  log(`stage 3: mlp-small on ${train.count} images, ${epochs} epochs, Adam with a one-cycle schedule`);
  const history = await fit(model, new DataLoader(train, { batchSize: 64, seed: 0 }), {
    epochs,
    seed: 0,
    optimizer: { name: 'adam', lr: 1e-3 },
    validation: new DataLoader(val, { batchSize: 1000, shuffle: false }),
    callbacks: [
      new OneCycleLR({ maxLr: 3e-3 }),
      new EarlyStopping({ monitor: 'val_loss', patience: 4, restoreBestWeights: true }),
      monitor,
      new ProgressBar(options.live ? {} : { write: (t) => log(t.trimEnd()), live: false }),
      ...(options.fitCallbacks?.('main') ?? []),
    ],
  });
  const report = runReport(model, history, await evaluate(model, new DataLoader(test, { batchSize: 1000, shuffle: false })), { name: 'mlp-small' });
  log(`  test accuracy ${(report.testAccuracy * 100).toFixed(2)}%; train-val gap ${((report.gap ?? 0) * 100).toFixed(1)} points`);
  return {
    stage: 3,
    app: 'MLP on all 60,000 images',
    ...report,
    referenceAccuracy: 0.88,
    target: 0.885,
    met: report.testAccuracy >= 0.885,
    overfitting: monitor.report(),
  };
}
