import { countParams, flopsPerImage } from '@fmnist/models';
import { Adam, fromLayersModel, type Optimizer, trainStep } from '@fmnist/trainer';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type KernelStat, profileCall } from './kernel-breakdown';
import type { Host, MachineInfo } from './host';
import { measureMatmulPeak } from './matmul-peak';
import { ProfilerError } from './profiler-error';
import { type LatencyStats, latencyStats } from './stats';

export type ProfileMode = 'infer' | 'train';

/** A batch to run: inputs and one-hot targets (targets only matter for training). */
export type BatchSource = (batch: number) => { xs: tf.Tensor; ys: tf.Tensor };

export interface ProfileOptions {
  /** Default 'infer'. */
  mode?: ProfileMode;
  /** Default [1, 64, 1024] for inference, [64] for training. */
  batchSizes?: number[];
  /** Untimed iterations first. Default 3. */
  warmup?: number;
  /** Timed iterations; default: as many as fit in `minTimeMs`, at least 5 and at most 500. */
  iterations?: number;
  /** Default 1000. */
  minTimeMs?: number;
  /** Where batches come from. Default: uniform random images and random labels. */
  inputs?: BatchSource;
  /** Include the per-kernel breakdown of one step. Default true. */
  kernels?: boolean;
  /** Optimizer for training steps. Default Adam(1e-3), as PyTorch benchmarks use. */
  optimizer?: () => Optimizer;
  /** Name in results. Default model.name. */
  name?: string;
  /** Training steps on the fused step where the model allows it (trainStep's `fused`). Default true. */
  fusedStep?: boolean;
}

export interface ProfileResult {
  model: string;
  mode: ProfileMode;
  backend: string;
  batch: number;
  iterations: number;
  latencyMs: LatencyStats;
  msPerStep: number;
  imagesPerSecond: number;
  /** Peak tensor bytes during one step (tf.profile). */
  peakBytes: number;
  /** Tensor bytes still held after the run minus before (0 unless something leaks or state was created). */
  retainedBytes: number;
  /** Peak resident set size of the process so far, MB. */
  peakRssMb: number;
  params: number;
  flopsPerImage: number;
  /** Achieved GFLOP/s (training counts forward + backward as 3x forward). */
  gflops: number;
  /** Achieved fraction of this backend's measured matmul peak. */
  peakFraction: number;
  kernels: KernelStat[];
  machine: MachineInfo;
}

function defaultInputs(model: tfl.LayersModel): BatchSource {
  const shape = (model.inputs[0].shape as (number | null)[]).slice(1) as number[];
  const classes = (model.outputs[0].shape as number[])[1] ?? 10;
  return (batch) =>
    tf.tidy(() => ({
      xs: tf.randomUniform([batch, ...shape], 0, 1, 'float32', 1),
      ys: tf.cast(tf.oneHot(tf.randomUniform([batch], 0, classes, 'int32', 2), classes), 'float32'),
    }));
}

/**
 * Latency percentiles, throughput and memory of a model per batch size on the current backend,
 * after a warm-up, with every step synchronised (dataSync) so timings are real. `host` says how
 * to read the machine and memory (Node or browser); the entries pass theirs as `profileModel`.
 */
export async function profileModelOn(host: Host, model: tfl.LayersModel, options: ProfileOptions = {}): Promise<ProfileResult[]> {
  const mode = options.mode ?? 'infer';
  if (mode !== 'infer' && mode !== 'train') throw new ProfilerError(`mode: expected 'infer' or 'train', got ${JSON.stringify(mode)}`);
  const batchSizes = options.batchSizes ?? (mode === 'infer' ? [1, 64, 1024] : [64]);
  if (batchSizes.some((b) => !Number.isInteger(b) || b < 1))
    throw new ProfilerError(`batchSizes: expected positive integers, got ${JSON.stringify(batchSizes)}`);
  const inputs = options.inputs ?? defaultInputs(model);
  const trainable = fromLayersModel(model);
  const params = countParams(model).trainable;
  const flops = flopsPerImage(model);
  const peak = measureMatmulPeak();
  const results: ProfileResult[] = [];
  for (const batch of batchSizes) {
    const { xs, ys } = inputs(batch);
    const optimizer = mode === 'train' ? (options.optimizer?.() ?? new Adam({ lr: 1e-3 })) : undefined;
    const step = () => {
      if (optimizer) trainStep(trainable, optimizer, xs, ys, { accuracy: false, fused: options.fusedStep });
      else {
        // One forward pass over the whole batch, as PyTorch's model(x) under no_grad: predict()
        // would also slice the input into batches and concatenate the outputs (3 of 8 ms for
        // mlp-small at 1024).
        const y = tf.tidy(() => model.apply(xs, { training: false }) as tf.Tensor);
        y.dataSync(); // synchronise (outside tidy, which would walk the returned array)
        y.dispose();
      }
    };
    for (let i = 0; i < (options.warmup ?? 3); i++) step();
    const before = tf.memory().numBytes;
    const samples: number[] = [];
    const minTime = options.minTimeMs ?? 1000;
    const started = performance.now();
    while (
      options.iterations !== undefined
        ? samples.length < options.iterations
        : samples.length < 5 || (performance.now() - started < minTime && samples.length < 500)
    ) {
      const t0 = performance.now();
      step();
      samples.push(performance.now() - t0);
    }
    const retainedBytes = tf.memory().numBytes - before;
    const profiled = await profileCall(() => step());
    const latency = latencyStats(samples);
    const imagesPerSecond = (batch * 1000) / latency.mean;
    const gflops = (imagesPerSecond * flops * (mode === 'train' ? 3 : 1)) / 1e9;
    results.push({
      model: options.name ?? model.name,
      mode,
      backend: tf.getBackend(),
      batch,
      iterations: samples.length,
      latencyMs: latency,
      msPerStep: latency.mean,
      imagesPerSecond,
      peakBytes: profiled.peakBytes,
      retainedBytes,
      peakRssMb: host.peakRssMb(),
      params,
      flopsPerImage: flops,
      gflops,
      peakFraction: gflops / peak,
      kernels: options.kernels === false ? [] : profiled.kernels.slice(0, 12),
      machine: host.machine(),
    });
    optimizer?.dispose();
    tf.dispose([xs, ys]);
  }
  return results;
}
