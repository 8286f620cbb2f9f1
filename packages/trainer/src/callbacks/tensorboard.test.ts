import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataLoader } from '@fmnist/data';
import { mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fit } from '../fit';
import { StepLR } from '../schedulers/step-lr';
import {
  readHParamsSessions,
  readTensorBoard as readBack,
  type TensorBoardRun as Run,
  tensorboardReaderFound,
  tensorboardSkipNote,
} from '../test-utils/tensorboard-reader';
import { toyDataset, useCpu } from '../test-utils/toy-data';
import { Callback, type Logs } from './callback';
import { ModelCheckpoint } from './model-checkpoint';
import { flattenHParams, TensorBoard, type TensorBoardOptions } from './tensorboard';
import { nextEventFileName } from './tensorboard-event-file';
import { crc32c, frameRecord, maskedCrc32c, readRecords } from './tensorboard-record';

beforeAll(useCpu);

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `${name}-`));
const READER_FOUND = tensorboardReaderFound();

/** Records the batch logs with the optimizer step they end. */
class BatchRecorder extends Callback {
  readonly observesOnly = true;
  readonly batches: { step: number; logs: Logs }[] = [];
  weights: { name: string; values: number[] }[] = [];
  onBatchEnd(_batch: number, logs: Logs): void {
    this.batches.push({ step: this.trainer.globalStep, logs: { ...logs } });
  }
  onTrainEnd(): void {
    const weights = this.trainer.model.layersModel?.weights ?? [];
    this.weights = weights.map((w) => ({ name: w.originalName, values: Array.from(w.read().dataSync()) }));
  }
}

/** Throws after epoch `at` was logged but before its checkpoint is written. */
class CrashAfterLog extends Callback {
  readonly observesOnly = true;
  constructor(private readonly at: number) {
    super();
  }
  afterEpochEnd(epoch: number): void {
    if (epoch === this.at) throw new Error('crash');
  }
}

/** Writes a checkpoint after batch `saveAt` of `epoch` (mid-epoch, as an interrupt does), then crashes after batch `crashAt`. */
class SaveMidEpochThenCrash extends Callback {
  readonly observesOnly = true;
  private epoch = -1;
  constructor(private readonly at: { dir: string; epoch: number; saveAt: number; crashAt: number }) {
    super();
  }
  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }
  async onBatchEnd(batch: number): Promise<void> {
    if (this.at.epoch !== this.epoch) return;
    if (batch === this.at.saveAt) await this.trainer.saveCheckpoint(this.at.dir);
    if (batch === this.at.crashAt) throw new Error('crash');
  }
}

type RunOptions = Partial<TensorBoardOptions> & {
  crashAt?: number;
  resume?: boolean;
  ckpt?: string;
  midEpoch?: { dir: string; epoch: number; saveAt: number; crashAt: number };
};

async function run(logDir: string, options: RunOptions = {}) {
  const { crashAt, resume, ckpt, midEpoch, ...tb } = options;
  const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 1 });
  const recorder = new BatchRecorder();
  const callbacks: Callback[] = [new StepLR({ stepSize: 1, gamma: 0.5 }), new TensorBoard({ logDir, ...tb }), recorder];
  if (crashAt !== undefined) callbacks.push(new CrashAfterLog(crashAt));
  if (ckpt) callbacks.push(new ModelCheckpoint({ dir: ckpt }));
  if (midEpoch) callbacks.push(new SaveMidEpochThenCrash(midEpoch));
  try {
    const history = await fit(model, new DataLoader(toyDataset(96), { batchSize: 16, seed: 1 }), {
      epochs: 3,
      seed: 1,
      validation: toyDataset(32, 9),
      optimizer: { name: 'sgd', lr: 0.2 },
      callbacks,
      resumeFrom: resume ? ckpt : undefined,
    });
    return { history: history.epochs, batches: recorder.batches, weights: recorder.weights };
  } finally {
    model.dispose();
  }
}

/** The size-weighted mean of `key` over the batches of `step`'s epoch up to `step` (6 batches an epoch), summed as fit sums. */
function runningMean(batches: { step: number; logs: Logs }[], step: number, key: 'loss' | 'accuracy'): number {
  const first = Math.floor((step - 1) / 6) * 6 + 1;
  const own = batches.filter((b) => b.step >= first && b.step <= step);
  let sum = 0;
  let seen = 0;
  for (const b of own) {
    sum += b.logs[key] * b.logs.size;
    seen += b.logs.size;
  }
  return sum / seen;
}

const f32 = (values: number[]) => values.map((v) => Math.fround(v));

describe('TFRecord framing', () => {
  it('computes CRC-32C and TensorFlow’s masked CRC', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
    // tensorboard.compat.tensorflow_stub crc32c.masked_crc32c(b'123456789')
    expect(maskedCrc32c(new TextEncoder().encode('123456789'))).toBe(((((0xe3069283 >>> 15) | (0xe3069283 << 17)) >>> 0) + 0xa282ead8) >>> 0);
  });

  it('reads back the records up to one a kill cut short', () => {
    const a = frameRecord(Uint8Array.of(1, 2, 3));
    const b = frameRecord(Uint8Array.of(4, 5));
    const file = Buffer.concat([a, b, b.subarray(0, 9)]);
    expect(readRecords(file).map((r) => Array.from(r))).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });
});

describe('event file names', () => {
  it('a new file sorts after the files of the run it continues, whatever the pid (TensorBoard reads them in name order)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-names-'));
    const now = Date.now();
    const secs = String(Math.floor(now / 1000)).padStart(10, '0');
    // A killed run's file from the same second, by a process whose pid compares greater as text.
    const killed = `events.out.tfevents.${secs}.${hostname()}.99999999.0`;
    writeFileSync(join(dir, killed), '');
    const next = nextEventFileName(dir, now);
    expect(next > killed).toBe(true);
    expect(next).toMatch(/^events\.out\.tfevents\.\d{10}\./);
    // Nothing there, or older files only: the usual name of now.
    expect(nextEventFileName(mkdtempSync(join(tmpdir(), 'tb-empty-')), now).split('.')[3]).toBe(secs);
  });
});

describe('flattenHParams', () => {
  it('names nested fields with dots, writes arrays as JSON, leaves out undefined and null', () => {
    expect(
      flattenHParams({
        model: { name: 'cnn', options: {} },
        fit: { epochs: 3, optimizer: { name: 'adam', lr: 0.001 }, ema: undefined },
        data: { augment: [{ name: 'RandomHorizontalFlip', p: 0.5 }], x: null, flag: false },
      }),
    ).toEqual({
      'model.name': 'cnn',
      'fit.epochs': 3,
      'fit.optimizer.name': 'adam',
      'fit.optimizer.lr': 0.001,
      'data.augment': '[{"name":"RandomHorizontalFlip","p":0.5}]',
      'data.flag': false,
    });
  });
});

describe('TensorBoard options', () => {
  it('refuses bad input with one clear error naming the field', () => {
    expect(() => new TensorBoard({ logDir: '' })).toThrow(/logDir: expected a directory path/);
    expect(() => new TensorBoard({ logDir: 'x', updateFreq: 0 })).toThrow(/updateFreq: expected 'epoch', 'batch' or an integer >= 1, got 0/);
    expect(() => new TensorBoard({ logDir: 'x', histogramFreq: -1 })).toThrow(/histogramFreq: expected an integer >= 0/);
    expect(() => new TensorBoard({ logDir: 'x', hparams: { a: null as unknown as number } })).toThrow(/hparams\.a: expected a number, string or boolean/);
  });
});

describe.runIf(READER_FOUND || process.env.CI)(
  `TensorBoard: Python tensorboard's EventAccumulator reads back what we logged${tensorboardSkipNote(READER_FOUND)}`,
  () => {
    it('epoch scalars of both runs, the learning rate, per-batch scalars, histograms and hparams', async () => {
      // A directory of runs, as `tensorboard --logdir runs` shows several side by side in the HParams tab.
      const runs = tmp('tb-runs');
      const logDir = join(runs, 'run-a');
      const before = tf.memory().numTensors;
      const { history, batches, weights } = await run(logDir, {
        updateFreq: 'batch',
        histogramFreq: 2,
        hparams: { lr: 0.2, optimizer: 'sgd', augment: false, zero: 0 },
      });
      expect(tf.memory().numTensors).toBe(before);
      const read = readBack(logDir);
      expect(readdirSync(join(logDir, 'train'))[0]).toMatch(/^events\.out\.tfevents\.\d{10}\..+\.\d+\.\d+$/);

      const epochs = [0, 1, 2];
      const train = read.train.scalars;
      const val = read.validation.scalars;
      for (const [tag, key] of [
        ['epoch_loss', 'loss'],
        ['epoch_accuracy', 'accuracy'],
        ['epoch_learning_rate', 'lr'],
      ] as const) {
        expect(train[tag], tag).toEqual(epochs.map((e) => [e, Math.fround(history[e][key])]));
      }
      expect(train.epoch_learning_rate.map(([, v]) => v)).toEqual(f32([0.2, 0.1, 0.05]));
      expect(val.epoch_loss).toEqual(epochs.map((e) => [e, Math.fround(history[e].val_loss)]));
      expect(val.epoch_accuracy).toEqual(epochs.map((e) => [e, Math.fround(history[e].val_accuracy)]));
      expect(val.evaluation_loss_vs_iterations).toEqual(epochs.map((e) => [6 * (e + 1), Math.fround(history[e].val_loss)]));
      expect(
        Object.keys(val)
          .filter((t) => t.startsWith('epoch_'))
          .sort(),
      ).toEqual(['epoch_accuracy', 'epoch_loss']);

      // Per batch: the optimizer step from 1, as Keras.
      expect(batches.map((b) => b.step)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
      // Loss and accuracy as Keras logs them per batch: running means over the epoch so far.
      expect(train.batch_loss).toEqual(batches.map((b) => [b.step, Math.fround(runningMean(batches, b.step, 'loss'))]));
      expect(train.batch_accuracy).toEqual(batches.map((b) => [b.step, Math.fround(runningMean(batches, b.step, 'accuracy'))]));
      // The last batch's running mean is the epoch's value.
      expect(epochs.map((e) => runningMean(batches, 6 * (e + 1), 'loss'))).toEqual(history.map((h) => h.loss));
      expect(train.batch_learning_rate).toEqual(batches.map((b) => [b.step, Math.fround(b.logs.lr)]));
      expect(train.batch_size).toBeUndefined();

      // Histograms at epochs 0 and 2; the last one holds the final weights.
      // Keras' tags: the weight's path (tfjs' original name, no uniquifying suffix), then '/histogram'.
      expect(Object.keys(read.train.histograms).sort()).toEqual([
        'dense_1/bias/histogram',
        'dense_1/kernel/histogram',
        'logits/bias/histogram',
        'logits/kernel/histogram',
      ]);
      for (const w of weights) {
        const h = read.train.histograms[`${w.name}/histogram`];
        expect(h.map((x) => x.step)).toEqual([0, 2]);
        const last = h[1];
        expect(last.num).toBe(w.values.length);
        expect(last.buckets).toBe(w.values.length);
        expect(last.min).toBe(Math.min(...w.values));
        expect(last.max).toBe(Math.max(...w.values));
      }

      // The HParams tab: the hparams plugin's own parsers read the experiment and the session.
      const hp = read['.'].hparams;
      expect(hp['_hparams_/session_start_info'].hparams).toEqual({ lr: 0.2, optimizer: 'sgd', augment: false, zero: 0 });
      expect(hp['_hparams_/session_end_info'].status).toBe('STATUS_SUCCESS');
      const experiment = hp['_hparams_/experiment'] as {
        hparamInfos: { name: string; type: string }[];
        metricInfos: { name: { group: string; tag: string } }[];
      };
      expect(experiment.hparamInfos).toEqual([
        { name: 'lr', type: 'DATA_TYPE_FLOAT64' },
        { name: 'optimizer', type: 'DATA_TYPE_STRING' },
        { name: 'augment', type: 'DATA_TYPE_BOOL' },
        { name: 'zero', type: 'DATA_TYPE_FLOAT64' },
      ]);
      expect(experiment.metricInfos.map((m) => `${m.name.group}/${m.name.tag}`)).toEqual([
        'train/epoch_loss',
        'train/epoch_accuracy',
        'validation/epoch_loss',
        'validation/epoch_accuracy',
      ]);
      // The HParams tab's own backend lists the run with its hyperparameters and each metric's last value.
      const groups = readHParamsSessions(runs);
      expect(groups.map((g) => [g.name, g.hparams, g.sessions.map((x) => x.status)])).toEqual([
        ['run-a', { lr: 0.2, optimizer: 'sgd', augment: false, zero: 0 }, ['STATUS_SUCCESS']],
      ]);
      expect(groups[0].metricValues?.map((m) => [`${m.name.group}/${m.name.tag}`, m.trainingStep, m.value])).toEqual([
        ['train/epoch_loss', 2, Math.fround(history[2].loss)],
        ['train/epoch_accuracy', 2, Math.fround(history[2].accuracy)],
        ['validation/epoch_loss', 2, Math.fround(history[2].val_loss)],
        ['validation/epoch_accuracy', 2, Math.fround(history[2].val_accuracy)],
      ]);
      // The reader behind TensorBoard's web app migrates the scalars to its tensor form.
      expect(read.train.tensors).toEqual(expect.arrayContaining(['epoch_loss', 'batch_loss']));
    });

    it("updateFreq N: batch scalars every N optimizer steps; 'epoch' (default): none", async () => {
      const every4 = tmp('tb-4');
      const { batches } = await run(every4, { updateFreq: 4 });
      expect(readBack(every4).train.scalars.batch_loss).toEqual(
        batches.filter((b) => b.step % 4 === 0).map((b) => [b.step, Math.fround(runningMean(batches, b.step, 'loss'))]),
      );
      const epochOnly = tmp('tb-epoch');
      await run(epochOnly);
      const read = readBack(epochOnly);
      expect(Object.keys(read.train.scalars).filter((t) => t.startsWith('batch_'))).toEqual([]);
      expect(readdirSync(epochOnly).filter((n) => n.includes('tfevents'))).toEqual([]); // no hparams asked: no run of its own
    });

    it('a run resumed mid-epoch goes on with the same running means and drops what the killed run wrote after its checkpoint', async () => {
      const full = tmp('tb-mid-full');
      await run(full, { updateFreq: 'batch' });
      const logDir = tmp('tb-mid');
      const ckpt = join(tmp('tb-mid-ckpt'), 'mid');
      await expect(run(logDir, { updateFreq: 'batch', midEpoch: { dir: ckpt, epoch: 1, saveAt: 2, crashAt: 4 } })).rejects.toThrow('crash');
      expect(readBack(logDir).train.scalars.batch_loss.at(-1)?.[0]).toBe(6 + 5); // batch 4 of epoch 1
      await run(logDir, { updateFreq: 'batch', ckpt, resume: true });
      const timing = /seconds|imagesPerSecond/;
      const strip = (r: Run) => Object.fromEntries(Object.entries(r.scalars).filter(([t]) => !timing.test(t)));
      expect(strip(readBack(logDir).train)).toEqual(strip(readBack(full).train));
      expect(strip(readBack(logDir).validation)).toEqual(strip(readBack(full).validation));
    });

    it('a run resumed after a kill reads back as the uninterrupted run', async () => {
      const full = tmp('tb-full');
      await run(full, { updateFreq: 'batch', histogramFreq: 1, ckpt: join(full, 'ckpt') });
      const logDir = tmp('tb-resume');
      const ckpt = join(tmp('tb-ckpt'), 'ckpt');
      // Epoch 1 was logged, its checkpoint not written: the resume starts at epoch 1 again.
      await expect(run(logDir, { updateFreq: 'batch', histogramFreq: 1, ckpt, crashAt: 1 })).rejects.toThrow('crash');
      expect(readBack(logDir).train.scalars.epoch_loss.map(([s]) => s)).toEqual([0, 1]);
      const extra = join(logDir, 'train', 'notes.txt');
      writeFileSync(extra, 'mine');
      await run(logDir, { updateFreq: 'batch', histogramFreq: 1, ckpt, resume: true });
      const timing = /seconds|imagesPerSecond/;
      const strip = (r: Run) => ({ ...r, scalars: Object.fromEntries(Object.entries(r.scalars).filter(([t]) => !timing.test(t))) });
      const a = readBack(full);
      const b = readBack(logDir);
      expect(strip(b.train)).toEqual(strip(a.train));
      expect(strip(b.validation)).toEqual(strip(a.validation));
      expect(readdirSync(join(logDir, 'train')).filter((n) => n.includes('tfevents'))).toHaveLength(2);
      expect(readFileSync(extra, 'utf8')).toBe('mine');
    });
  },
);
