import { Compose, DataLoader, type ImageDataset, RandomCrop, RandomHorizontalFlip, stratifiedSubset, type Transform, trainValSplit } from '@fmnist/data';
import { createModel, type ModelInput, type ModelName, modelInput } from '@fmnist/models';
import { Callback, type Evaluation, evaluate, fit, type History, type Logs, type OptimizerName } from '@fmnist/trainer';
import type * as tfl from '@tensorflow/tfjs-layers';

export interface TrainSettings {
  model: ModelName;
  /** Training images (stratified subset of the 60,000); 10% of them are held out for validation. */
  subset: number;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  lr: number;
  flip: boolean;
  crop: boolean;
  seed: number;
}

export interface TrainHooks {
  /** After every batch: global step, the batch logs and the fraction of the run done. */
  onBatch(step: number, logs: Logs, progress: number): void;
  onEpoch(epoch: number, logs: Logs): void;
  /** Polled after every batch: the Stop button. */
  shouldStop(): boolean;
}

export interface TrainResult {
  model: tfl.LayersModel;
  spec: ModelInput;
  history: History;
  evaluation: Evaluation;
}

/** Gives the browser a turn without setTimeout's clamping (and keeps running in a background tab). */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Streams progress to the page, honours Stop, and yields every ~30 ms so the page stays responsive. */
class PageCallback extends Callback {
  /** Not part of the run's fingerprint: a resumed run goes on without it. */
  readonly observesOnly = true;
  private step = 0;
  private lastYield = performance.now();

  constructor(
    private readonly hooks: TrainHooks,
    private readonly totalSteps: number,
  ) {
    super();
  }

  async onBatchEnd(_batch: number, logs: Logs): Promise<void> {
    this.step++;
    this.hooks.onBatch(this.step, logs, this.step / this.totalSteps);
    if (this.hooks.shouldStop()) this.trainer.stopTraining = true;
    if (performance.now() - this.lastYield > 30) {
      await yieldToPage();
      this.lastYield = performance.now();
    }
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.hooks.onEpoch(epoch, logs);
  }
}

/** Trains a zoo model in the page on a stratified subset, then evaluates it on the test set. */
export async function trainInPage(data: { train: ImageDataset; test: ImageDataset }, settings: TrainSettings, hooks: TrainHooks): Promise<TrainResult> {
  const model = createModel(settings.model, { seed: settings.seed });
  const spec = modelInput(model);
  const subset = settings.subset >= data.train.count ? data.train : stratifiedSubset(data.train, settings.subset, { seed: settings.seed });
  const { train, val } = trainValSplit(subset, { valFraction: 0.1, seed: settings.seed });
  const transforms: Transform[] = [];
  if (settings.flip) transforms.push(new RandomHorizontalFlip());
  if (settings.crop) transforms.push(new RandomCrop({ size: 28, padding: 2 }));
  const loader = new DataLoader(train, {
    batchSize: settings.batchSize,
    seed: settings.seed,
    layout: spec.layout,
    transform: transforms.length ? new Compose(transforms) : undefined,
  });
  const history = await fit(model, loader, {
    epochs: settings.epochs,
    seed: settings.seed,
    optimizer: { name: settings.optimizer, lr: settings.lr, momentum: settings.optimizer === 'sgd' ? 0.9 : undefined },
    validation: new DataLoader(val, { batchSize: 500, shuffle: false, layout: spec.layout }),
    callbacks: [new PageCallback(hooks, loader.length * settings.epochs)],
  });
  await yieldToPage();
  const evaluation = await evaluate(model, new DataLoader(data.test, { batchSize: 500, shuffle: false, layout: spec.layout }));
  return { model, spec, history, evaluation };
}

/** Test accuracy of any model (e.g. one trained in Node) with its own input spec. */
export function evaluateOnTest(model: tfl.LayersModel, spec: ModelInput, test: ImageDataset): Promise<Evaluation> {
  return evaluate(model, new DataLoader(test, { batchSize: 500, shuffle: false, layout: spec.layout, normalize: spec.normalize }));
}
