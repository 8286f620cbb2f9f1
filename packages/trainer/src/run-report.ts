import { countParams } from '@fmnist/models';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Logs } from './callbacks/callback';
import type { Evaluation } from './evaluate';
import type { History } from './fit-core';

/** A finished training run in one JSON-friendly object: what examples, reports and CLIs print. */
export interface RunReport {
  model: string;
  params: number;
  epochs: number;
  seconds: number;
  trainAccuracy: number | null;
  valAccuracy: number | null;
  testAccuracy: number;
  testLoss: number;
  /** Train minus validation accuracy at the end (positive = overfitting). */
  gap: number | null;
  history: Logs[];
  confusionMatrix: number[][];
  perClass: Evaluation['perClass'];
  /** Up to `maxMistakes` misclassified test examples: index, true and predicted class. */
  mistakes: { index: number; label: number; predicted: number }[];
}

/** Builds a RunReport from a model, its fit History and a test Evaluation (in dataset order). */
export function runReport(
  model: tfl.LayersModel | { name: string; countParams(): number },
  history: History,
  test: Evaluation,
  options: { name?: string; maxMistakes?: number } = {},
): RunReport {
  const last = history.epochs.at(-1);
  const trainAccuracy = last?.accuracy ?? null;
  const valAccuracy = last?.val_accuracy ?? null;
  const mistakes: RunReport['mistakes'] = [];
  for (let i = 0; i < test.labels.length && mistakes.length < (options.maxMistakes ?? 24); i++) {
    if (test.labels[i] !== test.predictions[i]) mistakes.push({ index: i, label: test.labels[i], predicted: test.predictions[i] });
  }
  return {
    model: options.name ?? model.name,
    params: 'trainableWeights' in model ? countParams(model).trainable : model.countParams(),
    epochs: history.epochs.length,
    seconds: history.seconds,
    trainAccuracy,
    valAccuracy,
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    gap: trainAccuracy !== null && valAccuracy !== null ? trainAccuracy - valAccuracy : null,
    history: history.epochs,
    confusionMatrix: test.confusionMatrix,
    perClass: test.perClass,
    mistakes,
  };
}
