import { createStudy, MedianPruner, TrialState } from '@fmnist/tuner';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { writeSyntheticSplit } from '../../data/src/test-utils/synthetic-fashion';
import { tmp } from './test-utils/run-cli';
import { objective, type TuneConfig } from './tune-objective';

describe('the tune objective', () => {
  it("prunes through the trainer's TrialPruningCallback: a PRUNED trial with its reported epochs, its epochs_run recorded, no tensor left", async () => {
    const dir = tmp('tune-objective');
    writeSyntheticSplit(dir, 'train', 500);
    writeSyntheticSplit(dir, 'test', 50);
    const config: TuneConfig = {
      backend: 'cpu',
      dir,
      verify: false,
      maxEpochs: 3,
      seed: 0,
      sampler: 'random',
      pruner: 'median',
      prunerStartupTrials: 1,
      prunerWarmupSteps: 0,
    };
    process.env.FMNIST_TUNE_CONFIG = JSON.stringify(config);
    try {
      const study = await createStudy({ direction: 'maximize', pruner: new MedianPruner({ nStartupTrials: 1, nWarmupSteps: 0 }), logger: () => {} });
      const params = { n_layers: 1, width: 128, dropout: 0, batch_norm: false, batch_size: 32, weight_decay: 1e-6, epochs: 3 };
      // One that learns, then one that barely moves (plain SGD at the smallest rate): worse than the other within its first two epochs.
      await study.enqueueTrial({ ...params, batch_norm: true, optimizer: 'adam', lr: 0.03 });
      await study.enqueueTrial({ ...params, optimizer: 'sgd', lr: 1e-4 });
      await study.optimize(objective, { nTrials: 1 });
      const before = tf.memory().numTensors;
      await study.optimize(objective, { nTrials: 1 });
      expect(tf.memory().numTensors).toBe(before);
      const [good, bad] = study.trials;
      expect([good.state, bad.state]).toEqual([TrialState.COMPLETE, TrialState.PRUNED]);
      expect(good.userAttrs.epochs_run).toBe(3);
      // Stopped after the epoch where it fell below the other: it reported that many epochs, no more.
      const steps = Object.keys(bad.intermediateValues).map(Number);
      const last = Math.max(...steps);
      expect(steps).toEqual([...Array(last + 1).keys()]);
      expect(last).toBeLessThan(2);
      expect(bad.intermediateValues[last]).toBeLessThan(good.intermediateValues[last]);
      expect(bad.userAttrs.epochs_run).toBe(last + 1);
      expect(typeof bad.userAttrs.train_accuracy).toBe('number');
    } finally {
      delete process.env.FMNIST_TUNE_CONFIG;
    }
  }, 120_000);
});
