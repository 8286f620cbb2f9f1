import { describe, expect, it } from 'vitest';
import { writeSyntheticSplit } from '../../../data/src/test-utils/synthetic-fashion';
import { readTensorBoard, tensorboardReaderFound, tensorboardSkipNote } from '../../../trainer/src/test-utils/tensorboard-reader';
import { cli, tmp } from '../test-utils/run-cli';

const READER_FOUND = tensorboardReaderFound();

describe.runIf(READER_FOUND || process.env.CI)(`fmnist train --tensorboard DIR${tensorboardSkipNote(READER_FOUND)}`, () => {
  it("writes the run's curves and its recipe as hparams, as TensorBoard's reader reads them", async () => {
    const data = tmp('tb-data');
    writeSyntheticSplit(data, 'train', 200);
    writeSyntheticSplit(data, 'test', 50);
    const logDir = tmp('tb-logs');
    const r = await cli(
      'train',
      '--model',
      'mlp-small',
      '--epochs',
      '2',
      '--batch',
      '32',
      '--lr',
      '0.01',
      '--dir',
      data,
      '--no-verify',
      '--backend',
      'cpu',
      '--tensorboard',
      logDir,
      '--json',
    );
    expect(r.code, r.err.join(' ')).toBe(0);
    const history = r.json().history as { loss: number; val_loss: number; val_accuracy: number; lr: number }[];
    const read = readTensorBoard(logDir);
    expect(read.train.scalars.epoch_loss).toEqual(history.map((h, e) => [e, Math.fround(h.loss)]));
    expect(read.train.scalars.epoch_learning_rate).toEqual(history.map((_, e) => [e, Math.fround(0.01)]));
    expect(read.validation.scalars.epoch_loss).toEqual(history.map((h, e) => [e, Math.fround(h.val_loss)]));
    expect(read.validation.scalars.epoch_accuracy).toEqual(history.map((h, e) => [e, Math.fround(h.val_accuracy)]));
    const hparams = read['.'].hparams['_hparams_/session_start_info'].hparams;
    expect(hparams).toMatchObject({ 'model.name': 'mlp-small', 'fit.epochs': 2, 'fit.optimizer.name': 'adam', 'fit.optimizer.lr': 0.01, 'data.batchSize': 32 });
  }, 120_000);
});
