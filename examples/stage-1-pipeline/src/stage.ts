// Stage 1: the training pipeline by hand. One linear layer + sigmoid (SimpleNN) on raw tfjs-core
// variables, binary cross-entropy, gradients and SGD updates written by hand, on two real classes.
import { initBackend } from '@fmnist/backend';
import { DataLoader, type ImageDataset, loadFashionMnist, selectIndices } from '@fmnist/data';
import type { StageDefinition, StageHooks, StagePlan, StageSize } from '@fmnist/example-stage-kit';
import { SimpleNN } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';

/** The hand-written loop, as data: which two classes, and the loop's settings. */
export type HandWrittenLoop = {
  /** The class labelled 1 (Ankle boot, 9) and the one labelled 0 (Sneaker, 7): similar shoes, so the task is not trivial. */
  positive: number;
  negative: number;
  epochs: number;
  /** Plain SGD's step: W -= lr * dW. */
  lr: number;
  batchSize: number;
  /** The weights' initialization and the shuffling. */
  seed: number;
};

export type Stage1Plan = StagePlan<{ loop: HandWrittenLoop }>;

/** Keeps the two classes and relabels them 0/1 (`positive` = 1). */
function binary(ds: ImageDataset, loop: HandWrittenLoop): ImageDataset {
  const idx = Array.from(ds.labels.keys()).filter((i) => ds.labels[i] === loop.positive || ds.labels[i] === loop.negative);
  const sub = selectIndices(ds, idx);
  sub.labels = sub.labels.map((l) => (l === loop.positive ? 1 : 0));
  return { ...sub, classNames: [ds.classNames[loop.negative], ds.classNames[loop.positive]] };
}

async function accuracy(net: SimpleNN, loader: DataLoader): Promise<{ accuracy: number; loss: number }> {
  let correct = 0;
  let lossSum = 0;
  let n = 0;
  for await (const { xs, ys, size } of loader.iterate(0)) {
    // Read with await data(): the same numbers on every backend (WebGPU in Node has no synchronous reads).
    const [correctTensor, lossTensor] = tf.tidy(() => {
      const y = tf.cast(ys, 'float32');
      return [tf.sum(tf.cast(tf.equal(net.predict(xs), tf.cast(y, 'int32')), 'int32')), net.loss(xs, y)];
    });
    const c = (await correctTensor.data())[0];
    const l = (await lossTensor.data())[0];
    tf.dispose([xs, ys, correctTensor, lossTensor]);
    correct += c;
    lossSum += l * size;
    n += size;
  }
  return { accuracy: correct / n, loss: lossSum / n };
}

async function run(plan: Stage1Plan, hooks: StageHooks) {
  const log = hooks.log ?? console.log;
  const { loop } = plan.steps;
  await initBackend();
  const train = binary(await loadFashionMnist({ split: 'train' }), loop);
  const test = binary(await loadFashionMnist({ split: 'test' }), loop);
  const net = new SimpleNN({ seed: loop.seed });
  const trainLoader = new DataLoader(train, { batchSize: loop.batchSize, seed: loop.seed, labels: 'index' });
  const testLoader = new DataLoader(test, { batchSize: 1000, shuffle: false, labels: 'index' });
  const history: Record<string, number>[] = [];
  const started = performance.now();
  log(
    `stage 1: SimpleNN (${net.countParams()} params), ${train.classNames[1]} (1) vs ${train.classNames[0]} (0), ${train.count} training images, hand-written BCE gradients and SGD lr ${loop.lr}`,
  );
  for (let epoch = 0; epoch < loop.epochs; epoch++) {
    let lossSum = 0;
    let seen = 0;
    for await (const { xs, ys, size } of trainLoader) {
      const y = tf.cast(ys, 'float32');
      lossSum += (await net.trainStepAsync(xs, y, loop.lr)) * size; // forward, BCE, dW = xᵀ(p − y)/n, W −= lr·dW
      seen += size;
      tf.dispose([xs, ys, y]);
    }
    const t = await accuracy(net, testLoader);
    history.push({ loss: lossSum / seen, val_loss: t.loss, val_accuracy: t.accuracy });
    log(`  epoch ${epoch + 1}/${loop.epochs}: train BCE ${(lossSum / seen).toFixed(4)}, test accuracy ${(t.accuracy * 100).toFixed(2)}%`);
  }
  const trainEval = await accuracy(net, new DataLoader(train, { batchSize: 2000, shuffle: false, labels: 'index' }));
  const testEval = await accuracy(net, testLoader);
  const majority = Math.max(...[0, 1].map((c) => test.labels.filter((l) => l === c).length)) / test.count;
  const params = net.countParams();
  net.dispose();
  log(`  test accuracy ${(testEval.accuracy * 100).toFixed(2)}% vs majority-class baseline ${(majority * 100).toFixed(2)}%`);
  return {
    model: 'simpleNN',
    params,
    epochs: loop.epochs,
    seconds: (performance.now() - started) / 1000,
    trainAccuracy: trainEval.accuracy,
    valAccuracy: null,
    testAccuracy: testEval.accuracy,
    history,
    majorityBaseline: majority,
    notes: `binary task ${train.classNames[1]} vs ${train.classNames[0]}; the reference is the majority-class baseline`,
  };
}

export const stage1: StageDefinition<Stage1Plan> = {
  stage: 1,
  app: 'training pipeline (SimpleNN, hand-written gradients)',
  // The test set has 1,000 images of each class: the majority-class baseline is 50% (the run records the one it measures).
  reference: 0.5,
  // Well above the baseline: 20 points.
  target: 0.7,
  plan: (size: StageSize): Stage1Plan => ({
    recipes: {},
    steps: { loop: { positive: 9, negative: 7, epochs: size === 'quick' ? 2 : 10, lr: 0.1, batchSize: 64, seed: 0 } },
  }),
  run,
};
