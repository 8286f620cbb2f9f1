import { countParams, flopsPerImage } from '@fmnist/models';
import { Adam, fromLayersModel, type Optimizer, trainStepAsync } from '@fmnist/trainer';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type KernelStat, profileCall } from './kernel-breakdown';
import { gpuBytes } from './gpu-memory';
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
  /** Images per second with a sync after every step: batch / mean latency. */
  imagesPerSecond: number;
  /**
   * Inference only (null for training): images per second with the batches queued back to back and
   * one read at the end, as a pipelined loader feeds a GPU (PyTorch's throughput loops); on the CPU
   * backends, which compute as they queue, about `imagesPerSecond`. As many batches as the timed
   * run had steps.
   */
  pipelinedImagesPerSecond: number | null;
  /** Peak tensor bytes during one step (tf.profile). */
  peakBytes: number;
  /** Tensor bytes still held after the run minus before (0 unless something leaks or state was created). */
  retainedBytes: number;
  /** Peak resident set size of the process so far, MB. */
  peakRssMb: number;
  /**
   * GPU memory the backend holds after the run, bytes: tensors plus the buffers it pools, i.e. its
   * high-water mark so far in this process (WebGPU's `numBytesAllocatedInGPU`, see `gpuBytes`);
   * null on the CPU backends, where `peakRssMb` is the memory figure.
   */
  gpuBytes: number | null;
  params: number;
  flopsPerImage: number;
  /** Achieved GFLOP/s (training counts forward + backward as 3x forward). */
  gflops: number;
  /** Achieved fraction of this backend's measured matmul peak. */
  peakFraction: number;
  /** The kernels of one step, top first; their times are null where the backend times none (WebGPU without 'timestamp-query'). */
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
 * after a warm-up. Every step ends reading its output (the prediction, or a training step's
 * loss) with `await data()`: a GPU backend, which queues the step's kernels without waiting, has
 * then finished them, so a time is the work's, not its dispatch's; the CPU backends compute as
 * they go and read the same way. `host` says how to read the machine and memory (Node or
 * browser); the entries pass theirs as `profileModel`.
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
  const peak = await measureMatmulPeak();
  const results: ProfileResult[] = [];
  for (const batch of batchSizes) {
    const { xs, ys } = inputs(batch);
    const optimizer = mode === 'train' ? (options.optimizer?.() ?? new Adam({ lr: 1e-3 })) : undefined;
    // A step queues its work with no read inside, then reads one small output: the GPU runs the
    // whole step before the read returns.
    const step = async () => {
      if (optimizer) await trainStepAsync(trainable, optimizer, xs, ys, { accuracy: false, fused: options.fusedStep });
      else {
        // One forward pass over the whole batch, as PyTorch's model(x) under no_grad: predict()
        // would also slice the input into batches and concatenate the outputs (3 of 8 ms for
        // mlp-small at 1024).
        const y = tf.tidy(() => model.apply(xs, { training: false }) as tf.Tensor);
        try {
          await y.data(); // synchronise (outside tidy, which would walk the returned array)
        } finally {
          y.dispose();
        }
      }
    };
    for (let i = 0; i < (options.warmup ?? 3); i++) await step();
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
      await step();
      samples.push(performance.now() - t0);
    }
    const retainedBytes = tf.memory().numBytes - before;
    const pipelinedImagesPerSecond = mode === 'infer' ? await pipelined(model, xs, samples.length, batch) : null;
    const profiled = await profileCall(() => step().then(() => undefined));
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
      pipelinedImagesPerSecond,
      peakBytes: profiled.peakBytes,
      retainedBytes,
      peakRssMb: host.peakRssMb(),
      gpuBytes: gpuBytes(),
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

/** Images per second of `steps` forward passes queued with no read between them, then one read of the last output. */
async function pipelined(model: tfl.LayersModel, xs: tf.Tensor, steps: number, batch: number): Promise<number> {
  const t0 = performance.now();
  let last: tf.Tensor | undefined;
  for (let i = 0; i < steps; i++) {
    last?.dispose(); // tfjs keeps a queued kernel's buffers until the GPU has run it
    last = tf.tidy(() => model.apply(xs, { training: false }) as tf.Tensor);
  }
  try {
    await last?.data();
  } finally {
    last?.dispose();
  }
  return (batch * steps * 1000) / (performance.now() - t0);
}
