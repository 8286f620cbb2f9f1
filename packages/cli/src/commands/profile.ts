import { writeFileAtomic } from '@fmnist/core';
import { createModel, getModelEntry, type ModelName, MODEL_NAMES } from '@fmnist/models';
import { formatResultsTable, type ProfileResult, profileCall, profileModel, toChromeTrace } from '@fmnist/profiler';
import { Adam, fromLayersModel, trainStep } from '@fmnist/trainer';
import { BENCH_BACKENDS, type BenchBackend } from '@fmnist/core';
import { backendSetups } from '../backend-setups';
import type { Command } from '../command';
import { choice, intList, str, wordList } from '../options';
import { count } from '../count';
import { realBatches } from '../real-batches';
import { UsageError } from '../usage-error';

export const profileCommand: Command = {
  path: ['profile'],
  summary: 'Latency p50/p95/p99, throughput, memory and top kernels of a model, per backend and batch size',
  options: {
    model: { type: 'string', value: 'NAME', description: 'the zoo model', choices: MODEL_NAMES, required: true },
    mode: { type: 'string', value: 'MODE', description: 'inference or training steps', choices: ['infer', 'train'], default: 'infer' },
    batch: { type: 'string', value: 'LIST', description: 'batch sizes, comma-separated', default: '1,64,1024 for infer, 64 for train' },
    backend: { type: 'string', value: 'LIST', description: 'backends, comma-separated', choices: BENCH_BACKENDS, default: 'wasm' },
    trace: { type: 'string', value: 'FILE', description: 'write a Chrome trace of one training step (Perfetto, chrome://tracing)', default: 'none' },
  },
  async run({ values, io, json }) {
    const name = str(values, 'model');
    if (!name || !MODEL_NAMES.includes(name as ModelName))
      throw new UsageError(`--model: expected one of ${MODEL_NAMES.join(', ')}, got ${JSON.stringify(name ?? '')}`);
    const mode = choice(values, 'mode', ['infer', 'train'] as const, 'infer');
    const batchSizes = intList(values, 'batch', mode === 'infer' ? [1, 64, 1024] : [64]);
    const backends = wordList(values, 'backend', BENCH_BACKENDS, ['wasm'] as BenchBackend[]);
    const inputs = await realBatches(getModelEntry(name).layout);
    const results: ProfileResult[] = [];
    for (const [index, setup] of backendSetups(backends).entries()) {
      try {
        await setup.activate();
      } catch (error) {
        io.stderr(`skipping ${setup.label}: ${(error as Error).message}`);
        continue;
      }
      const model = createModel(name as ModelName);
      for (const r of await profileModel(model, { mode, batchSizes, inputs, name })) {
        const row = { ...r, backend: setup.label };
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
        trainStep(trainable, opt, batch.xs, batch.ys);
        const call = await profileCall(() => void trainStep(trainable, opt, batch.xs, batch.ys));
        writeFileAtomic(tracePath, JSON.stringify(toChromeTrace(call.records, { name, backend: setup.label })));
        opt.dispose();
        if (!json) io.stderr(`wrote ${tracePath} (${count(call.records.length, 'kernel')}; open in Perfetto or chrome://tracing)`);
      }
      model.dispose();
    }
    if (!json) {
      io.stdout(formatResultsTable(results));
      const top = results[0]?.kernels.slice(0, 8) ?? [];
      if (top.length)
        io.stdout(
          `\ntop kernels (${results[0].backend}, batch ${results[0].batch}): ${top.map((k) => `${k.name} ${k.totalMs.toFixed(1)}ms x${k.count}`).join(', ')}`,
        );
    }
  },
};
