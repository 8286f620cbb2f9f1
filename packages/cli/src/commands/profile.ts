import { writeFileAtomic } from '@fmnist/core';
import { createModel, getModelEntry, type ModelName, MODEL_NAMES } from '@fmnist/models';
import {
  type ComparedResult,
  formatBackendComparison,
  formatResultsTable,
  profileCall,
  profileModel,
  toChromeTrace,
  type UnavailableBackend,
} from '@fmnist/profiler';
import { Adam, fromLayersModel, trainStepAsync } from '@fmnist/trainer';
import { BENCH_BACKENDS, type BenchBackend } from '@fmnist/core';
import { backendSetups, type CliBackendActivation } from '../backend-setups';
import type { Command } from '../command';
import { choice, int, intList, str, wordList } from '../options';
import { count } from '../count';
import { realBatches } from '../real-batches';
import { reportUnavailable } from '../unavailable-reason';
import { UsageError } from '../usage-error';

export const profileCommand: Command = {
  path: ['profile'],
  summary: 'Latency p50/p95/p99, throughput, memory and top kernels of a model, per backend and batch size',
  options: {
    model: { type: 'string', value: 'NAME', description: 'the zoo model', choices: MODEL_NAMES, required: true },
    mode: { type: 'string', value: 'MODE', description: 'inference or training steps', choices: ['infer', 'train'], default: 'infer' },
    batch: { type: 'string', value: 'LIST', description: 'batch sizes, comma-separated', default: '1,64,1024 for infer, 64 for train' },
    backend: {
      type: 'string',
      value: 'LIST',
      description: 'backends, comma-separated; several print a CPU-vs-GPU table (webgpu: a software adapter where there is no GPU, labelled so)',
      choices: BENCH_BACKENDS,
      default: 'wasm',
    },
    'min-time': { type: 'string', value: 'MS', description: 'measure each batch size for at least this many milliseconds', default: 1000 },
    trace: { type: 'string', value: 'FILE', description: 'write a Chrome trace of one training step (Perfetto, chrome://tracing)', default: 'none' },
  },
  async run({ values, io, json }) {
    const name = str(values, 'model');
    if (!name || !MODEL_NAMES.includes(name as ModelName))
      throw new UsageError(`--model: expected one of ${MODEL_NAMES.join(', ')}, got ${JSON.stringify(name ?? '')}`);
    const mode = choice(values, 'mode', ['infer', 'train'] as const, 'infer');
    const batchSizes = intList(values, 'batch', mode === 'infer' ? [1, 64, 1024] : [64]);
    const backends = wordList(values, 'backend', BENCH_BACKENDS, ['wasm'] as BenchBackend[]);
    const minTimeMs = int(values, 'min-time', 1000, 1);
    const inputs = await realBatches(getModelEntry(name).layout);
    const results: Omit<ComparedResult, 'ratio'>[] = [];
    const unavailable: UnavailableBackend[] = [];
    for (const [index, setup] of backendSetups(backends).entries()) {
      let activation: CliBackendActivation;
      try {
        activation = await setup.activate();
      } catch (error) {
        unavailable.push({ backend: setup.label, reason: reportUnavailable(io, json, setup.label, error) });
        continue;
      }
      const model = createModel(name as ModelName);
      for (const r of await profileModel(model, { mode, batchSizes, inputs, name, minTimeMs })) {
        const row = { ...r, backend: setup.label, ...(activation.device ? { device: activation.device } : {}) };
        results.push(row);
        if (json)
          io.stdout(
            JSON.stringify({
              model: name,
              mode,
              backend: setup.label,
              batch: r.batch,
              latencyMs: { p50: r.latencyMs.p50, p95: r.latencyMs.p95, p99: r.latencyMs.p99 },
              imagesPerSecond: r.imagesPerSecond,
              peakBytes: r.peakBytes,
              peakRssMb: r.peakRssMb,
              kernels: r.kernels,
              params: r.params,
              flopsPerImage: r.flopsPerImage,
              gflops: r.gflops,
              machine: r.machine,
              // Added fields: GPU memory held (null on the CPU backends); on webgpu, the adapter (as fmnist doctor --json shows it).
              pipelinedImagesPerSecond: r.pipelinedImagesPerSecond,
              gpuBytes: r.gpuBytes,
              ...(activation.adapter ? { adapter: activation.adapter } : {}),
            }),
          );
      }
      const tracePath = str(values, 'trace');
      if (tracePath && index === 0) {
        // A Chrome trace of one training step (64 images) on the first backend.
        const trainable = fromLayersModel(model);
        const opt = new Adam();
        const batch = (
          inputs ??
          (() => {
            throw new UsageError('--trace needs the data');
          })
        )(64);
        await trainStepAsync(trainable, opt, batch.xs, batch.ys);
        const call = await profileCall(() => trainStepAsync(trainable, opt, batch.xs, batch.ys).then(() => undefined));
        writeFileAtomic(tracePath, JSON.stringify(toChromeTrace(call.records, { name, backend: setup.label })));
        opt.dispose();
        if (!json) io.stderr(`wrote ${tracePath} (${count(call.records.length, 'kernel')}; open in Perfetto or chrome://tracing)`);
      }
      model.dispose();
    }
    if (!json) {
      if (results.length > 0) io.stdout(formatResultsTable(results));
      const top = results[0]?.kernels.slice(0, 8) ?? [];
      if (top.length) {
        const timed = top.some((k) => k.totalMs !== null);
        const kernels = top.map((k) => `${k.name} ${k.totalMs === null ? '' : `${k.totalMs.toFixed(1)}ms `}x${k.count}`).join(', ');
        io.stdout(`\ntop kernels (${results[0].backend}, batch ${results[0].batch}${timed ? '' : ', by count: this backend times no kernel'}): ${kernels}`);
      }
      // Several backends: the CPU-vs-GPU table (batches of 64 where measured), and why any is missing.
      if (backends.length > 1 || unavailable.length > 0) {
        const batch = batchSizes.includes(64) ? 64 : undefined;
        io.stdout(`\nper backend${batch ? ', batch of 64' : ''}:\n${formatBackendComparison(results, { batch, unavailable })}`);
      }
    }
    // Not one of the asked backends could run: a failure.
    return unavailable.length === backends.length ? 1 : 0;
  },
};
