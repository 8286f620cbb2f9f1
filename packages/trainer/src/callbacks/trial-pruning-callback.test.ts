import { TrialPruned } from '@fmnist/core';
import { mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticDataset } from '../../../data/src/test-utils/synthetic-fashion';
// The tuner is no dependency of the trainer: its sources serve this test only (the callback needs a trial's shape, not the package).
import { createStudy, MedianPruner, type Trial, TrialState } from '../../../tuner/src/index';
import { fit } from '../fit';
import { runRecipe } from '../recipe/run-recipe';
import { useCpu } from '../test-utils/toy-data';
import { TrainerError } from '../trainer-error';
import { EarlyStopping } from './early-stopping';
import type { MetricName } from './metric-name';
import { type PrunableTrial, TrialPruningCallback } from './trial-pruning-callback';

beforeAll(useCpu);

// 8x8 images, 4 classes told apart by their brightness.
const train = syntheticDataset(160, 4, 8);
const validation = syntheticDataset(40, 4, 8);
const quiet = () => {};

/** A trial that records its reports and prunes from `pruneAt` on. */
function fakeTrial(pruneAt = Number.POSITIVE_INFINITY): PrunableTrial & { reports: [number, number][] } {
  const reports: [number, number][] = [];
  return {
    reports,
    report: (value, step) => reports.push([step, value]),
    shouldPrune: () => reports.length > pruneAt,
  };
}

describe('TrialPruningCallback', () => {
  it('reports the monitored metric each epoch and, once the pruner says so, stops training and ends fit with TrialPruned, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const trial = fakeTrial(1);
    const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 1 });
    const pruning = new TrialPruningCallback(trial, { monitor: 'val_loss' });
    const epochsSeen: number[] = [];
    const seen = new (class extends EarlyStopping {
      onEpochEnd(epoch: number, logs: Record<string, number>): void {
        epochsSeen.push(epoch);
        super.onEpochEnd(epoch, logs);
      }
    })({ monitor: 'val_loss', patience: 10, restoreBestWeights: true });
    try {
      // Listed before it, EarlyStopping still ends the run: it frees its best weights.
      const run = fit(model, train, { epochs: 6, batchSize: 32, seed: 1, validation, callbacks: [seen, pruning] });
      await expect(run).rejects.toThrow(new TrialPruned('Trial was pruned at epoch 1.'));
    } finally {
      model.dispose();
    }
    expect(trial.reports.map(([step]) => step)).toEqual([0, 1]);
    expect(trial.reports.every(([, v]) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(epochsSeen).toEqual([0, 1]);
    expect(pruning.prunedAtEpoch).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lets an unpruned trial train to the end, reporting every `interval` epochs', async () => {
    const trial = fakeTrial();
    const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 1 });
    const history = await fit(model, train, { epochs: 4, batchSize: 32, seed: 1, validation, callbacks: [new TrialPruningCallback(trial, { interval: 2 })] });
    model.dispose();
    expect(history.epochs).toHaveLength(4);
    expect(trial.reports).toEqual([
      [1, history.epochs[1].val_accuracy],
      [3, history.epochs[3].val_accuracy],
    ]);
  });

  it('names a monitor that is not in the logs, and says that val_* metrics need validation', async () => {
    const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 1 });
    // As a JavaScript caller would pass it (TypeScript refuses 'val_acc' at compile time).
    const run = (monitor: string | undefined, withValidation: boolean) =>
      fit(model, train, {
        epochs: 2,
        batchSize: 32,
        validation: withValidation ? validation : undefined,
        callbacks: [new TrialPruningCallback(fakeTrial(), { monitor: monitor as MetricName | undefined })],
      });
    await expect(run('val_acc', true)).rejects.toThrow(
      new TrainerError(
        "TrialPruningCallback: monitor: 'val_acc' is not in the epoch logs (loss, accuracy, lr, seconds, imagesPerSecond, val_loss, val_accuracy)",
      ),
    );
    await expect(run(undefined, false)).rejects.toThrow(
      /'val_accuracy' is not in the epoch logs \(loss, accuracy, lr, seconds, imagesPerSecond\); val_\* metrics need `validation`/,
    );
    model.dispose();
    expect(() => new TrialPruningCallback(fakeTrial(), { interval: 0 })).toThrow(/TrialPruningCallback: interval: expected a positive integer, got 0/);
    expect(() => new TrialPruningCallback({} as PrunableTrial)).toThrow(
      /TrialPruningCallback: trial: expected a trial with report\(value, step\) and shouldPrune\(\)/,
    );
  });

  it('in a study with a MedianPruner, prunes the bad trial: its state is PRUNED, with the intermediate values it reported', async () => {
    const study = await createStudy({ direction: 'maximize', pruner: new MedianPruner({ nStartupTrials: 2, nWarmupSteps: 0 }), logger: quiet });
    const before = tf.memory().numTensors;
    // Trials 0 and 1 learn; trial 2 does not (learning rate 0): it stays at chance and is pruned after its first epoch.
    const lrs = [0.05, 0.05, 0, 0.05];
    const objective = async (trial: Trial) => {
      const lr = lrs[trial.number];
      trial.suggestFloat('lr', 0, 0.1);
      const model = mlp({ inputs: 64, hidden: [16], outputs: 4, seed: 1 });
      try {
        const history = await fit(model, train, {
          epochs: 3,
          batchSize: 16,
          seed: 1,
          optimizer: { name: 'adam', lr },
          validation,
          callbacks: [new TrialPruningCallback(trial, { monitor: 'val_accuracy' })],
        });
        return history.epochs.at(-1)?.val_accuracy ?? Number.NaN;
      } finally {
        model.dispose();
      }
    };
    await study.optimize(objective, { nTrials: 4 });
    expect(study.trials.map((t) => t.state)).toEqual([TrialState.COMPLETE, TrialState.COMPLETE, TrialState.PRUNED, TrialState.COMPLETE]);
    const pruned = study.trials[2];
    expect(Object.keys(pruned.intermediateValues)).toEqual(['0']);
    expect(pruned.value).toBe(pruned.intermediateValues[0]);
    expect(pruned.intermediateValues[0]).toBeLessThan(study.trials[0].intermediateValues[0]);
    expect(Object.keys(study.trials[0].intermediateValues)).toEqual(['0', '1', '2']);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('through runRecipe too: a pruned run disposes the model it built', async () => {
    const before = tf.memory().numTensors;
    const run = runRecipe(
      {
        version: 1,
        model: { name: 'mlp', options: { hidden: [8] } },
        data: { seed: 1, validation: 0.2, batchSize: 32 },
        fit: { epochs: 3, seed: 1, optimizer: { name: 'sgd', lr: 0.01 } },
      },
      { data: { train: syntheticDataset(100), test: syntheticDataset(20) }, callbacks: [new TrialPruningCallback(fakeTrial(0))], evaluateTest: false },
    );
    await expect(run).rejects.toThrow(new TrialPruned('Trial was pruned at epoch 0.'));
    expect(tf.memory().numTensors).toBe(before);
  });
});
