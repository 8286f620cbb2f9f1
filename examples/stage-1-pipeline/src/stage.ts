// Stage 1: the training pipeline by hand. One linear layer + sigmoid (SimpleNN) on raw tfjs-core
// variables, binary cross-entropy, gradients and SGD updates written by hand, on two real classes.
import { initBackend } from '@fmnist/backend';
import { DataLoader, loadFashionMnist, selectIndices } from '@fmnist/data';
import { SimpleNN } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';

/** Sneaker (7) vs Ankle boot (9): similar shoes, so the task is not trivial. */
const POSITIVE = 9;
const NEGATIVE = 7;

export interface StageOptions {
  quick?: boolean;
  log?: (line: string) => void;
}

/** Keeps the two classes and relabels them 0/1 (Ankle boot = 1). */
function binary(ds: Awaited<ReturnType<typeof loadFashionMnist>>) {
  const idx = Array.from(ds.labels.keys()).filter((i) => ds.labels[i] === POSITIVE || ds.labels[i] === NEGATIVE);
  const sub = selectIndices(ds, idx);
  sub.labels = sub.labels.map((l) => (l === POSITIVE ? 1 : 0));
  return { ...sub, classNames: [ds.classNames[NEGATIVE], ds.classNames[POSITIVE]] };
}

async function accuracy(net: SimpleNN, loader: DataLoader): Promise<{ accuracy: number; loss: number }> {
  let correct = 0;
  let lossSum = 0;
  let n = 0;
  for await (const { xs, ys, size } of loader.iterate(0)) {
    const [c, l] = tf.tidy(() => {
      const y = tf.cast(ys, 'float32');
      return [tf.sum(tf.cast(tf.equal(net.predict(xs), tf.cast(y, 'int32')), 'int32')).dataSync()[0], net.loss(xs, y).dataSync()[0]];
    });
    tf.dispose([xs, ys]);
    correct += c;
    lossSum += l * size;
    n += size;
  }
  return { accuracy: correct / n, loss: lossSum / n };
}

export async function run(options: StageOptions = {}) {
  const log = options.log ?? console.log;
  await initBackend();
  const train = binary(await loadFashionMnist({ split: 'train' }));
  const test = binary(await loadFashionMnist({ split: 'test' }));
  const epochs = options.quick ? 2 : 10;
  const lr = 0.1;
  const net = new SimpleNN({ seed: 0 });
  const trainLoader = new DataLoader(train, { batchSize: 64, seed: 0, labels: 'index' });
  const testLoader = new DataLoader(test, { batchSize: 1000, shuffle: false, labels: 'index' });
  const history: Record<string, number>[] = [];
  const started = performance.now();
  log(
    `stage 1: SimpleNN (${net.countParams()} params), ${train.classNames[1]} (1) vs ${train.classNames[0]} (0), ${train.count} training images, hand-written BCE gradients and SGD lr ${lr}`,
  );
  for (let epoch = 0; epoch < epochs; epoch++) {
    let lossSum = 0;
    let seen = 0;
    for await (const { xs, ys, size } of trainLoader) {
      const y = tf.cast(ys, 'float32');
      lossSum += net.trainStep(xs, y, lr) * size; // forward, BCE, dW = xᵀ(p − y)/n, W −= lr·dW
      seen += size;
      tf.dispose([xs, ys, y]);
    }
    const t = await accuracy(net, testLoader);
    history.push({ loss: lossSum / seen, val_loss: t.loss, val_accuracy: t.accuracy });
    log(`  epoch ${epoch + 1}/${epochs}: train BCE ${(lossSum / seen).toFixed(4)}, test accuracy ${(t.accuracy * 100).toFixed(2)}%`);
  }
  const trainEval = await accuracy(net, new DataLoader(train, { batchSize: 2000, shuffle: false, labels: 'index' }));
  const testEval = await accuracy(net, testLoader);
  const majority = Math.max(...[0, 1].map((c) => test.labels.filter((l) => l === c).length)) / test.count;
  net.dispose();
  log(`  test accuracy ${(testEval.accuracy * 100).toFixed(2)}% vs majority-class baseline ${(majority * 100).toFixed(2)}%`);
  return {
    stage: 1,
    app: 'training pipeline (SimpleNN, hand-written gradients)',
    model: 'simpleNN',
    params: 785,
    epochs,
    seconds: (performance.now() - started) / 1000,
    trainAccuracy: trainEval.accuracy,
    valAccuracy: null,
    testAccuracy: testEval.accuracy,
    referenceAccuracy: majority,
    target: majority,
    met: testEval.accuracy > majority + 0.2,
    history,
    notes: `binary task ${train.classNames[1]} vs ${train.classNames[0]}; the reference is the majority-class baseline`,
  };
}
