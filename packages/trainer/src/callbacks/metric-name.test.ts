import { DataLoader } from '@fmnist/data';
import { mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { fit } from '../fit';
import { parseRecipe, type TrainRecipe } from '../recipe/train-recipe';
import { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from '../schedulers/reduce-lr-on-plateau';
import { toyDataset, useCpu } from '../test-utils/toy-data';
import { EarlyStopping, type EarlyStoppingOptions } from './early-stopping';
import { MODEL_METRICS, type MetricName, type ModelMetric, RUN_METRICS } from './metric-name';
import { ModelCheckpoint, type ModelCheckpointOptions } from './model-checkpoint';
import { OverfittingMonitor } from './overfitting-monitor';

beforeAll(useCpu);

// The type checks below are checked by `tsc` (the packages' typecheck), which fails on an
// `@ts-expect-error` that has no error to expect.
describe('MetricName: the names a monitor takes', () => {
  it('is the one type of every monitor option, the recipe’s included', () => {
    expectTypeOf<EarlyStoppingOptions['monitor']>().toEqualTypeOf<MetricName | undefined>();
    expectTypeOf<ModelCheckpointOptions['monitor']>().toEqualTypeOf<MetricName | undefined>();
    expectTypeOf<ReduceLROnPlateauOptions['monitor']>().toEqualTypeOf<MetricName | undefined>();
    expectTypeOf<NonNullable<TrainRecipe['fit']['earlyStopping']>['monitor']>().toEqualTypeOf<ModelMetric>();
    expectTypeOf<Extract<TrainRecipe['fit']['schedule'], { name: 'ReduceLROnPlateau' }>['monitor']>().toEqualTypeOf<ModelMetric>();
    expectTypeOf<ModelMetric>().toExtend<MetricName>();
  });

  it('takes Keras’ names as fit logs them; a misspelt one is a compile error', () => {
    const names: MetricName[] = ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr', 'gap'];
    expect(names.map((monitor) => new EarlyStopping({ monitor }).mode)).toEqual(['min', 'max', 'min', 'max', 'min', 'min']);
    // @ts-expect-error: 'val_acc' is older Keras' name; fit logs 'val_accuracy'.
    expect(new EarlyStopping({ monitor: 'val_acc' }).monitor).toBe('val_acc');
    // @ts-expect-error: likewise
    expect(new ModelCheckpoint({ dir: 'unused', monitor: 'val_acc' }).monitor).toBe('val_acc');
    // @ts-expect-error: likewise
    expect(new ReduceLROnPlateau({ monitor: 'acc' }).monitor).toBe('acc');
    expect(() => parseRecipe({ version: 1, model: { name: 'mlp-small' }, fit: { epochs: 1, earlyStopping: { monitor: 'val_acc', patience: 1 } } })).toThrow(
      /^recipe fit\.earlyStopping\.monitor: expected one of loss, accuracy, val_loss, val_accuracy, got "val_acc"/,
    );
  });

  it('lists what fit and OverfittingMonitor log each epoch, no more', async () => {
    const data = toyDataset(32);
    const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 1 });
    const before = tf.memory().numTensors;
    const history = await fit(model, new DataLoader(data, { batchSize: 16, seed: 1 }), {
      epochs: 1,
      validation: toyDataset(16, 2),
      callbacks: [new OverfittingMonitor()],
    });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    expect(Object.keys(history.epochs[0]).sort()).toEqual([...MODEL_METRICS, ...RUN_METRICS].sort());
  });
});
