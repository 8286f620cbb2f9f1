// Stage 6: a VGG-style CNN (two blocks of two 3x3 convs with batch norm, 64 and 128 filters) with
// a regularised classifier, flips, a one-cycle schedule, an average of the weights and flipped
// test-time views; then transfer learning on our own
// data: pretrain a base on five classes, freeze it, put on a new head, fine-tune on the other five
// with 100 labels per class, and compare with training from scratch on the same labels.
import { initBackend } from '@fmnist/backend';
import {
  Compose,
  DataLoader,
  type ImageDataset,
  loadFashionMnist,
  RandomCrop,
  RandomErasing,
  RandomHorizontalFlip,
  type Transform,
  selectIndices,
  stratifiedSubset,
  trainValSplit,
} from '@fmnist/data';
import { createModel, freeze, replaceHead, unfreeze } from '@fmnist/models';
import { type Callback, EarlyStopping, evaluate, ExponentialMovingAverage, fit, OneCycleLR, OverfittingMonitor, ProgressBar, runReport } from '@fmnist/trainer';

export interface StageOptions {
  quick?: boolean;
  log?: (line: string) => void;
  /** Extra callbacks for each of this stage's fits, by fit name (the journey's epoch backups). */
  fitCallbacks?: (fit: string) => Callback[];
  /** Progress as a live line on stderr (a terminal); default plain lines through `log` every 30 s. */
  live?: boolean;
  /** The long recipe, for the original's >95% claim (hours on 2 cores). Default false. */
  long?: boolean;
}

/** What the VGG-style run trains with; chosen on the validation split (see the README). */
interface Recipe {
  epochs: number;
  /** OneCycleLR's peak for AdamW. */
  maxLr: number;
  /** Decoupled, as torch's AdamW: each step multiplies the weights by 1 - lr * weightDecay. */
  weightDecay: number;
  labelSmoothing: number;
  /** ExponentialMovingAverage's decay, per batch. */
  emaDecay: number;
  /** Random crops after 2-pixel padding, and random erasing's probability (0: none). */
  crop: boolean;
  erasing: number;
}

// Flips only by default: crops and erasing pay only over long runs (the old 3-epoch recipe with
// crops reached 89.7% val). 4 epochs of this one reached 93.98% val, 93.37% test: short of 94%.
// The long one adds crops and erasing and trains 2.5x longer.
const RECIPES: Record<'default' | 'long', Recipe> = {
  default: { epochs: 8, maxLr: 2e-3, weightDecay: 0.05, labelSmoothing: 0.1, emaDecay: 0.998, crop: false, erasing: 0 },
  long: { epochs: 20, maxLr: 2e-3, weightDecay: 0.05, labelSmoothing: 0.1, emaDecay: 0.999, crop: true, erasing: 0.25 },
};

function augmentation(recipe: Recipe): Transform {
  const steps: Transform[] = [new RandomHorizontalFlip()];
  if (recipe.crop) steps.push(new RandomCrop({ size: 28, padding: 2 }));
  if (recipe.erasing > 0) steps.push(new RandomErasing({ p: recipe.erasing }));
  return steps.length === 1 ? steps[0] : new Compose(steps);
}

/** The images of some classes, relabelled 0..k-1. */
function classes(ds: ImageDataset, keep: number[]): ImageDataset {
  const idx = Array.from(ds.labels.keys()).filter((i) => keep.includes(ds.labels[i]));
  const sub = selectIndices(ds, idx);
  return { ...sub, labels: sub.labels.map((l) => keep.indexOf(l)), classNames: keep.map((c) => ds.classNames[c]) };
}

export async function transferLearning(
  train: ImageDataset,
  test: ImageDataset,
  quick: boolean,
  log: (l: string) => void,
  fitCallbacks: (fit: string) => Callback[],
) {
  const source = [0, 1, 2, 3, 4];
  const target = [5, 6, 7, 8, 9];
  const image = { layout: 'image' as const };
  const targetTest = new DataLoader(classes(test, target), { batchSize: 500, shuffle: false, ...image });
  const few = stratifiedSubset(classes(train, target), quick ? 100 : 500, { seed: 1 }); // 100 labels per class
  const fewLoader = () => new DataLoader(few, { batchSize: 32, seed: 1, ...image });
  const epochs = quick ? 1 : 15;

  // 1. Pretrain a base on the five source classes (all their labels).
  const base = createModel('cnn', { classes: 5, seed: 2 });
  await fit(base, new DataLoader(quick ? stratifiedSubset(classes(train, source), 2000) : classes(train, source), { batchSize: 64, seed: 2, ...image }), {
    epochs: quick ? 1 : 3,
    seed: 2,
    callbacks: fitCallbacks('base'),
  });
  // 2. Freeze the convolutional base, new 5-class head, train the head.
  freeze(base, { upTo: 'flatten' });
  const tuned = replaceHead(base, { classes: 5, removeLayers: 5, hidden: [128], seed: 3 });
  await fit(tuned, fewLoader(), { epochs, seed: 3, optimizer: { name: 'adam', lr: 1e-3 }, callbacks: fitCallbacks('head') });
  const headOnly = (await evaluate(tuned, targetTest)).accuracy;
  // 3. Unfreeze everything and fine-tune gently.
  unfreeze(tuned);
  await fit(tuned, fewLoader(), { epochs: quick ? 1 : 5, seed: 4, optimizer: { name: 'adam', lr: 1e-4 }, callbacks: fitCallbacks('fine-tune') });
  const fineTuned = (await evaluate(tuned, targetTest)).accuracy;
  // 4. The same architecture from scratch on the same 500 labels.
  const scratch = createModel('cnn', { classes: 5, seed: 3 });
  await fit(scratch, fewLoader(), { epochs: epochs + (quick ? 1 : 5), seed: 3, optimizer: { name: 'adam', lr: 1e-3 }, callbacks: fitCallbacks('scratch') });
  const fromScratch = (await evaluate(scratch, targetTest)).accuracy;
  log(
    `  transfer (${few.count} labels of ${target.map((c) => train.classNames[c]).join(', ')}): scratch ${(fromScratch * 100).toFixed(2)}%, frozen base + new head ${(headOnly * 100).toFixed(2)}%, fine-tuned ${(fineTuned * 100).toFixed(2)}%`,
  );
  return { labels: few.count, sourceClasses: source, targetClasses: target, fromScratch, headOnly, fineTuned, gain: fineTuned - fromScratch };
}

export async function run(options: StageOptions = {}) {
  const log = options.log ?? console.log;
  await initBackend();
  const full = await loadFashionMnist({ split: 'train' });
  const { train, val } = trainValSplit(full, { valFraction: 0.1, seed: 0 });
  const fullTest = await loadFashionMnist({ split: 'test' });
  // Quick runs evaluate the first 2,000 test images (indices stay those of the full set).
  const test = options.quick
    ? selectIndices(
        fullTest,
        Array.from({ length: 2000 }, (_, i) => i),
      )
    : fullTest;
  const model = createModel('vgg-style', { seed: 0 });
  const recipe = RECIPES[options.long ? 'long' : 'default'];
  // One epoch of 54,000 images is ~7 minutes on a 2-core machine (wasm, our kernels); FMNIST_VGG_EPOCHS overrides.
  const epochs = options.quick ? 1 : Number(process.env.FMNIST_VGG_EPOCHS ?? recipe.epochs);
  const monitor = new OverfittingMonitor();
  const ema = new ExponentialMovingAverage({ decay: recipe.emaDecay });
  const augments = ['flips', recipe.crop && 'crops', recipe.erasing > 0 && 'random erasing'].filter(Boolean).join(' + ');
  log(
    `stage 6: vgg-style (1,868,234 params) on ${options.quick ? 640 : train.count} images, ${augments}, one-cycle AdamW, EMA ${recipe.emaDecay}, flip TTA, ${epochs} epochs${options.long ? ' (long)' : ''}`,
  );
  const history = await fit(
    model,
    new DataLoader(options.quick ? stratifiedSubset(train, 640) : train, { batchSize: 64, seed: 0, layout: 'image', transform: augmentation(recipe) }),
    {
      epochs,
      seed: 0,
      optimizer: { name: 'adamw', lr: recipe.maxLr, weightDecay: recipe.weightDecay },
      labelSmoothing: recipe.labelSmoothing,
      validation: new DataLoader(options.quick ? stratifiedSubset(val, 1000) : val, { batchSize: 500, shuffle: false, layout: 'image' }),
      callbacks: [
        new OneCycleLR({ maxLr: recipe.maxLr, pctStart: 0.25 }),
        // Validation sees the averaged weights; the model ends with the best epoch's average (the restore wins, whatever the order).
        new EarlyStopping({ monitor: 'val_accuracy', patience: 4, restoreBestWeights: true }),
        ema,
        monitor,
        new ProgressBar(options.live ? {} : { write: (t) => log(t.trimEnd()), live: false }),
        ...(options.fitCallbacks?.('main') ?? []),
      ],
    },
  );
  ema.dispose();
  const testLoader = new DataLoader(test, { batchSize: 500, shuffle: false, layout: 'image' });
  const report = runReport(model, history, await evaluate(model, testLoader, { tta: ['hflip'] }), { name: 'vgg-style' });
  // The single-view figure too, so the flips' share of the result is on record.
  const singleView = (await evaluate(model, testLoader)).accuracy;
  log(`  test accuracy ${(report.testAccuracy * 100).toFixed(2)}% with flip TTA, ${(singleView * 100).toFixed(2)}% without`);
  const transfer = await transferLearning(full, test, options.quick === true, log, (f) => options.fitCallbacks?.(f) ?? []);
  return {
    stage: 6,
    app: 'VGG-style CNN + transfer learning',
    ...report,
    referenceAccuracy: 0.95,
    target: 0.94,
    met: report.testAccuracy >= 0.94,
    testAccuracySingleView: singleView,
    recipe: { ...recipe, epochs },
    overfitting: monitor.report(),
    transfer,
  };
}
