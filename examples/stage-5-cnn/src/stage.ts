// Stage 5: a CNN (2 conv layers of 32 and 64 filters, batch norm, max pooling, dropout) with
// flips and random crops, on our patched wasm backend.
import { initBackend } from '@fmnist/backend';
import { Compose, DataLoader, loadFashionMnist, RandomHorizontalFlip, selectIndices, stratifiedSubset, trainValSplit } from '@fmnist/data';
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
  const backend = await initBackend();
  const { train, val } = trainValSplit(await loadFashionMnist({ split: 'train' }), { valFraction: 0.1, seed: 0 });
  const fullTest = await loadFashionMnist({ split: 'test' });
  // Quick runs evaluate the first 2,000 test images (indices stay those of the full set).
  const test = options.quick
    ? selectIndices(
        fullTest,
        Array.from({ length: 2000 }, (_, i) => i),
      )
    : fullTest;
  const model = createModel('cnn', { seed: 0 });
  const epochs = options.quick ? 1 : 12;
  // Flips only: with crops as well the 12-epoch run underfit (train 90.9% < val 92.5%, test 91.69%).
  const augment = new Compose([new RandomHorizontalFlip()]);
  const monitor = new OverfittingMonitor();
  const images = options.quick ? 3000 : train.count;
  log(`stage 5: cnn on ${images} images with flips, ${epochs} epochs, Adam + one-cycle, backend ${backend.name}`);
  const trainLoader = new DataLoader(options.quick ? stratifiedSubset(train, 3000) : train, { batchSize: 64, seed: 0, layout: 'image', transform: augment });
  const history = await fit(model, trainLoader, {
    epochs,
    seed: 0,
    optimizer: { name: 'adam', lr: 1e-3 },
    validation: new DataLoader(options.quick ? stratifiedSubset(val, 1000) : val, { batchSize: 500, shuffle: false, layout: 'image' }),
    callbacks: [
      new OneCycleLR({ maxLr: 3e-3 }),
      new EarlyStopping({ monitor: 'val_loss', patience: 4, restoreBestWeights: true }),
      monitor,
      new ProgressBar(options.live ? {} : { write: (t) => log(t.trimEnd()), live: false }),
      ...(options.fitCallbacks?.('main') ?? []),
    ],
  });
  const report = runReport(model, history, await evaluate(model, new DataLoader(test, { batchSize: 500, shuffle: false, layout: 'image' })), { name: 'cnn' });
  log(`  test accuracy ${(report.testAccuracy * 100).toFixed(2)}%; train-val gap ${((report.gap ?? 0) * 100).toFixed(1)} points`);
  return {
    stage: 5,
    app: 'CNN with augmentation',
    ...report,
    referenceAccuracy: 0.92,
    target: 0.92,
    met: report.testAccuracy >= 0.92,
    overfitting: monitor.report(),
  };
}
