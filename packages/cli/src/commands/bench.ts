import { createModel, getModelEntry, type ModelName } from '@fmnist/models';
import { backendLabel, type ComparedResult, formatResultsTable, profileModel } from '@fmnist/profiler';
import { BENCH_BACKENDS, type BenchBackend } from '@fmnist/core';
import { backendSetups, type CliBackendActivation } from '../backend-setups';
import type { Command } from '../command';
import { choice, int, wordList } from '../options';
import { realBatches } from '../real-batches';
import { reportUnavailable } from '../unavailable-reason';

const BENCH_MODELS = ['mlp-small', 'mlp-wide', 'cnn', 'vgg-style'] as const;

export const benchCommand: Command = {
  path: ['bench'],
  summary: 'Training and inference speed of zoo models per backend (ours vs stock wasm), as ratios',
  options: {
    model: { type: 'string', value: 'LIST', description: 'models to measure, comma-separated', choices: BENCH_MODELS, default: BENCH_MODELS.join(',') },
    mode: { type: 'string', value: 'MODE', description: 'training steps, inference, or both', choices: ['train', 'infer', 'both'], default: 'both' },
    batch: { type: 'string', value: 'B', description: 'batch size', default: '64 for train, 1024 for infer' },
    backend: {
      type: 'string',
      value: 'LIST',
      description: 'backends to compare, comma-separated; ratios are to the first (webgpu: a software adapter where there is no GPU, labelled so)',
      choices: BENCH_BACKENDS,
      default: 'wasm,wasm-stock',
    },
    'min-time': { type: 'string', value: 'MS', description: 'measure each case for at least this many milliseconds', default: 2000 },
    'no-fused-step': { type: 'boolean', description: "train MLPs through tfjs's tape instead of the fused step, for comparisons" },
  },
  async run({ values, io, json }) {
    const models = wordList(values, 'model', BENCH_MODELS, [...BENCH_MODELS]);
    const modeFlag = choice(values, 'mode', ['train', 'infer', 'both'] as const, 'both');
    const modes = modeFlag === 'both' ? (['train', 'infer'] as const) : ([modeFlag] as const);
    const backends = wordList(values, 'backend', BENCH_BACKENDS, ['wasm', 'wasm-stock'] as BenchBackend[]);
    const minTimeMs = int(values, 'min-time', 2000, 1);
    const all: ComparedResult[] = [];
    // Backends that activated at least once, and those reported unavailable (once each).
    const ran = new Set<string>();
    const reported = new Set<string>();
    for (const name of models) {
      const layout = getModelEntry(name).layout;
      const inputs = await realBatches(layout);
      for (const mode of modes) {
        const batch = int(values, 'batch', mode === 'train' ? 64 : 1024, 1);
        let base: number | undefined;
        for (const setup of backendSetups(backends)) {
          let activation: CliBackendActivation;
          try {
            activation = await setup.activate();
          } catch (error) {
            if (reported.has(setup.label)) continue;
            reported.add(setup.label);
            reportUnavailable(io, json, setup.label, error);
            continue;
          }
          ran.add(setup.label);
          // On a terminal, a live line says what is being measured (each takes --min-time or more).
          const status = io.isTTY ? io.progress : undefined;
          status?.(`\rmeasuring ${name} ${mode} on ${setup.label} (batch ${batch}, at least ${minTimeMs / 1000} s)...`);
          const model = createModel(name as ModelName, { seed: 0 });
          const [r] = await profileModel(model, {
            mode,
            batchSizes: [batch],
            inputs,
            minTimeMs,
            warmup: 2,
            kernels: false,
            name,
            fusedStep: values['no-fused-step'] !== true,
          });
          model.dispose();
          status?.('\r\u001b[K');
          base ??= r.imagesPerSecond;
          const row: ComparedResult = {
            ...r,
            backend: setup.label,
            ratio: r.imagesPerSecond / base,
            ...(activation.device ? { device: activation.device } : {}),
          };
          all.push(row);
          if (json) {
            io.stdout(
              JSON.stringify({
                model: name,
                mode,
                backend: setup.label,
                batch,
                imagesPerSecond: r.imagesPerSecond,
                msPerStep: r.msPerStep,
                peakRssMb: r.peakRssMb,
                ratio: row.ratio,
                // Added fields: GPU memory held (null on the CPU backends) and, on webgpu, the adapter (as fmnist doctor --json shows it).
                pipelinedImagesPerSecond: r.pipelinedImagesPerSecond,
                gpuBytes: r.gpuBytes,
                ...(activation.adapter ? { adapter: activation.adapter } : {}),
              }),
            );
          } else io.stderr(`${name} ${mode} ${backendLabel(row)}: ${Math.round(r.imagesPerSecond)} img/s`);
        }
      }
    }
    if (!json) io.stdout(formatResultsTable(all));
    // Not one of the asked backends could run: a failure.
    return ran.size === 0 ? 1 : 0;
  },
};
