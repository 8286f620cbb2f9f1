import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@fmnist/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { Trainable } from '../trainable';
import { TrainerError } from '../trainer-error';
import { Callback, type Logs, stateNumber } from './callback';
import { EventFileWriter, isEventFileName } from './tensorboard-event-file';
import type { ProtoWriter } from './tensorboard-proto';
import { frameRecord, readRecords } from './tensorboard-record';
import {
  eventStepAndTags,
  type HParamValue,
  hparamsExperimentValue,
  hparamsSessionEndValue,
  hparamsSessionStartValue,
  histogramValue,
  scalarValue,
} from './tensorboard-summary';

/** Options of {@link TensorBoard} (Keras' `TensorBoard` arguments, camel-cased). */
export interface TensorBoardOptions {
  /** Directory of the logs: `train/` and `validation/` runs below it, as Keras writes them. */
  logDir: string;
  /**
   * `'epoch'` (default): scalars once per epoch. `'batch'` or N: also `batch_*` scalars every N
   * optimizer steps (`'batch'` is 1), the step being the optimizer step counted from 1, and
   * `batch_loss`, `batch_accuracy` the running means over the epoch so far, as Keras.
   */
  updateFreq?: 'epoch' | 'batch' | number;
  /** Weight histograms every N epochs (epochs 0, N, 2N, ...; tag `<variable>/histogram`). 0 (default): none. */
  histogramFreq?: number;
  /**
   * Hyperparameters for TensorBoard's HParams tab (what the hparams plugin's Keras callback
   * writes, in `logDir` itself), with the `epoch_loss` and `epoch_accuracy` of both runs as its
   * metrics. The tab compares runs: give each run its own `logDir` in one folder and open that
   * folder (`tensorboard --logdir runs` for `runs/a`, `runs/b`). Default: none.
   */
  hparams?: Record<string, HParamValue>;
}

/**
 * A run's configuration (a `TrainRecipe`, any JSON-like object) as hyperparameters for the HParams
 * tab: nested fields as dotted names (`fit.optimizer.lr`), arrays and other objects as their JSON,
 * `undefined` and `null` left out.
 */
export function flattenHParams(config: object, prefix = ''): Record<string, HParamValue> {
  const out: Record<string, HParamValue> = {};
  for (const [key, value] of Object.entries(config)) {
    const name = `${prefix}${key}`;
    if (value === undefined || value === null) continue;
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') out[name] = value;
    else if (typeof value === 'object' && !Array.isArray(value)) Object.assign(out, flattenHParams(value, `${name}.`));
    else out[name] = JSON.stringify(value);
  }
  return out;
}

/** Batch metrics written as running means over the epoch so far (Keras' metrics accumulate so). */
const RUNNING_MEANS = ['loss', 'accuracy'] as const;

/** Keras' names: our `lr` is its `learning_rate`. */
const metricName = (key: string): string => (key === 'lr' ? 'learning_rate' : key);

/** Tags whose step is the optimizer step (the others' is the epoch). */
const stepsByIteration = (tag: string): boolean => tag.startsWith('batch_') || tag.startsWith('evaluation_');

/**
 * Writes TensorBoard event files, as `keras.callbacks.TensorBoard` does, without TensorFlow: per
 * epoch `epoch_<metric>` (with `epoch_learning_rate`) in `logDir/train` and the validation
 * metrics in `logDir/validation` (`val_` dropped, so both runs share a chart), plus
 * `evaluation_<metric>_vs_iterations` at the optimizer step; per batch `batch_<metric>` when
 * `updateFreq` asks; weight histograms every `histogramFreq` epochs; hyperparameters for the HParams
 * tab. Open them with `tensorboard --logdir <logDir>`.
 *
 * Every event is on disk when its hook returns. A fresh run adds new files beside earlier ones (as
 * TensorFlow does); a resumed run (from a checkpoint or BackupAndRestore) first drops, from the
 * event files of `train/` and `validation/`, the events a killed run wrote after the point it resumes
 * from, then writes new files, so the curves end as an uninterrupted run's would.
 */
export class TensorBoard extends Callback {
  /** Watches only: not part of the run's fingerprint. */
  readonly observesOnly = true;
  readonly logDir: string;
  /** Optimizer steps between `batch_*` scalars; 0: none. */
  readonly updateFreq: number;
  readonly histogramFreq: number;
  readonly hparams: Readonly<Record<string, HParamValue>> | undefined;
  private writers = new Map<string, EventFileWriter>();
  /** Size-weighted sums of the running metrics over the epoch so far, and the images they cover. */
  private sums: Record<(typeof RUNNING_MEANS)[number], number> = { loss: 0, accuracy: 0 };
  private seen = 0;
  private firstEpoch = true;

  constructor(options: TensorBoardOptions) {
    super();
    if (typeof options?.logDir !== 'string' || options.logDir === '')
      throw new TrainerError(`TensorBoard logDir: expected a directory path, got ${String(options?.logDir)}`);
    const freq = options.updateFreq ?? 'epoch';
    if (freq !== 'epoch' && freq !== 'batch' && !(Number.isInteger(freq) && freq >= 1)) {
      throw new TrainerError(`TensorBoard updateFreq: expected 'epoch', 'batch' or an integer >= 1, got ${String(freq)}`);
    }
    const histogramFreq = options.histogramFreq ?? 0;
    if (!(Number.isInteger(histogramFreq) && histogramFreq >= 0))
      throw new TrainerError(`TensorBoard histogramFreq: expected an integer >= 0, got ${histogramFreq}`);
    for (const [name, value] of Object.entries(options.hparams ?? {})) {
      if (!['number', 'string', 'boolean'].includes(typeof value))
        throw new TrainerError(`TensorBoard hparams.${name}: expected a number, string or boolean, got ${typeof value}`);
    }
    this.logDir = options.logDir;
    this.updateFreq = freq === 'epoch' ? 0 : freq === 'batch' ? 1 : freq;
    this.histogramFreq = histogramFreq;
    this.hparams = options.hparams;
  }

  private writer(run: 'train' | 'validation' | '.'): EventFileWriter {
    let writer = this.writers.get(run);
    if (!writer) {
      writer = new EventFileWriter(join(this.logDir, run));
      this.writers.set(run, writer);
    }
    return writer;
  }

  onTrainBegin(): void {
    this.writers = new Map();
    this.sums = { loss: 0, accuracy: 0 };
    this.seen = 0;
    this.firstEpoch = true;
    const epochs = this.trainer?.history.length ?? 0;
    const resumed = epochs > 0 || (this.trainer?.startBatch ?? 0) > 0;
    if (resumed) {
      const step = this.trainer.globalStep;
      for (const run of ['train', 'validation']) dropEventsAfter(join(this.logDir, run), (tag, at) => (stepsByIteration(tag) ? at <= step : at < epochs));
    }
    const hparams = this.hparams;
    if (hparams && !(resumed && hasEventFiles(this.logDir))) {
      const now = Date.now() / 1000;
      const metrics = ['train', 'validation'].flatMap((group) => ['epoch_loss', 'epoch_accuracy'].map((tag) => ({ group, tag })));
      this.writer('.').write(0, [hparamsExperimentValue(hparams, metrics, now)]);
      this.writer('.').write(0, [hparamsSessionStartValue(hparams, now)]);
    }
  }

  onEpochBegin(): void {
    // The epoch a run resumes in mid-epoch goes on with the sums its checkpoint kept (setState).
    const resumesMidEpoch = this.firstEpoch && this.trainer.startBatch > 0;
    this.firstEpoch = false;
    if (resumesMidEpoch) return;
    this.sums = { loss: 0, accuracy: 0 };
    this.seen = 0;
  }

  /**
   * `batch_loss` and `batch_accuracy` are the running means over the epoch's batches so far,
   * weighted by batch size, as Keras' are (its metrics accumulate over the epoch); the other batch
   * logs (learning rate, images per second) as `fit` gives them.
   */
  onBatchEnd(_batch: number, logs: Logs): void {
    const size = logs.size ?? 1;
    this.seen += size;
    const means: Logs = { ...logs };
    for (const key of RUNNING_MEANS) {
      const value = logs[key];
      if (typeof value !== 'number') continue;
      this.sums[key] += value * size;
      means[key] = this.sums[key] / this.seen;
    }
    const step = this.trainer.globalStep;
    if (this.updateFreq === 0 || step % this.updateFreq !== 0) return;
    const values = scalars(
      means,
      (key) => key !== 'size' && !key.startsWith('val_'),
      (name) => `batch_${name}`,
    );
    if (values.length > 0) this.writer('train').write(step, values);
  }

  /** The running sums of the epoch so far, so a run resumed mid-epoch goes on with the same means. */
  getState(): Record<string, unknown> {
    return { sums: { ...this.sums }, seen: this.seen };
  }

  setState(state: Record<string, unknown>): void {
    const sums = (state.sums ?? {}) as Partial<Record<(typeof RUNNING_MEANS)[number], unknown>>;
    this.sums = { loss: stateNumber(sums.loss, 0), accuracy: stateNumber(sums.accuracy, 0) };
    this.seen = stateNumber(state.seen, 0);
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const train = scalars(
      logs,
      (key) => !key.startsWith('val_'),
      (name) => `epoch_${name}`,
    );
    if (train.length > 0) this.writer('train').write(epoch, train);
    const isVal = (key: string) => key.startsWith('val_');
    const validation = scalars(logs, isVal, (name) => `epoch_${name.slice(4)}`);
    if (validation.length > 0) {
      this.writer('validation').write(epoch, validation);
      this.writer('validation').write(
        this.trainer.globalStep,
        scalars(logs, isVal, (name) => `evaluation_${name.slice(4)}_vs_iterations`),
      );
    }
    if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0) {
      const values: ProtoWriter[] = [];
      for (const w of namedWeights(this.trainer.model)) values.push(histogramValue(`${w.name.replaceAll(':', '_')}/histogram`, await w.tensor.data()));
      if (values.length > 0) this.writer('train').write(epoch, values);
    }
  }

  onTrainEnd(): void {
    if (this.hparams) this.writer('.').write(0, [hparamsSessionEndValue(Date.now() / 1000)]);
  }
}

/** Scalar values of the finite or not (TensorBoard shows NaN) numbers in `logs` whose key `keep` accepts. */
function scalars(logs: Logs, keep: (key: string) => boolean, tag: (name: string) => string): ProtoWriter[] {
  return Object.entries(logs)
    .filter(([key, value]) => typeof value === 'number' && keep(key))
    .map(([key, value]) => scalarValue(tag(metricName(key)), value));
}

/**
 * The model's weights with the names Keras' `weight.path` matches (`dense_1/kernel`: tfjs' layer
 * variables' `originalName`, without the suffix tfjs adds to keep variable names unique), once each.
 */
function namedWeights(model: Trainable): { name: string; tensor: tf.Tensor }[] {
  const all = model.layersModel
    ? model.layersModel.weights.map((w) => ({ name: w.originalName, tensor: w.read() }))
    : model.allVariables().map((v) => ({ name: v.name, tensor: v }));
  const seen = new Set<tf.Tensor>();
  const names = new Map<string, number>();
  return all.flatMap((w) => {
    if (seen.has(w.tensor)) return [];
    seen.add(w.tensor);
    const n = names.get(w.name) ?? 0;
    names.set(w.name, n + 1);
    return [{ name: n === 0 ? w.name : `${w.name}_${n}`, tensor: w.tensor }];
  });
}

function hasEventFiles(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some(isEventFileName);
}

/**
 * Rewrites the event files of `dir` without the summary events that `keep(tag, step)` refuses
 * (those a killed run wrote after its checkpoint); files with nothing to drop stay untouched.
 */
function dropEventsAfter(dir: string, keep: (tag: string, step: number) => boolean): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).filter(isEventFileName)) {
    const path = join(dir, name);
    const bytes = readFileSync(path);
    const records = readRecords(bytes);
    const kept = records.filter((r) => {
      const { step, tags } = eventStepAndTags(r);
      return tags.every((tag) => keep(tag, step));
    });
    const size = kept.reduce((n, r) => n + r.length + 16, 0);
    if (kept.length === records.length && size === bytes.length) continue;
    writeFileAtomic(path, Buffer.concat(kept.map(frameRecord)));
  }
}
