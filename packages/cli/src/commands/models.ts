import { createModel, listModels, type ModelName, MODEL_NAMES, summarize } from '@fmnist/models';
import { BACKEND_OPTION, backendFromFlags } from '../backend-flags';
import type { Command } from '../command';
import { formatTable } from '@fmnist/core';
import { UsageError } from '../usage-error';

const models: Command = {
  path: ['models'],
  summary: 'The model zoo: stage, parameters, FLOPs per image, input shape',
  options: { backend: BACKEND_OPTION },
  async run({ values, io, json }) {
    await backendFromFlags(values);
    const list = listModels();
    if (json) {
      io.stdout(JSON.stringify({ models: list }));
      return;
    }
    io.stdout(
      formatTable(
        ['name', 'stage', 'trainable params', 'MFLOPs/image', 'input', 'description'],
        list.map((m) => [
          m.name,
          m.stage,
          m.trainableParams.toLocaleString('en-US'),
          (m.flopsPerImage / 1e6).toFixed(2),
          m.inputShape.join('x'),
          m.description,
        ]),
      ),
    );
  },
};

const modelsShow: Command = {
  path: ['models', 'show'],
  summary: 'A Keras-style summary of one zoo model',
  args: [{ name: 'NAME', description: `the model: ${MODEL_NAMES.join(', ')}` }],
  options: { backend: BACKEND_OPTION },
  async run({ values, positionals, io, json }) {
    const name = positionals[0];
    if (!MODEL_NAMES.includes(name as ModelName)) throw new UsageError(`unknown model ${JSON.stringify(name)}: expected one of ${MODEL_NAMES.join(', ')}`);
    await backendFromFlags(values);
    const model = createModel(name as ModelName);
    if (json) {
      const info = listModels().find((m) => m.name === name);
      io.stdout(
        JSON.stringify({
          ...info,
          layers: model.layers.map((l) => ({ name: l.name, type: l.getClassName(), params: l.countParams(), outputShape: l.outputShape })),
        }),
      );
    } else io.stdout(summarize(model));
    model.dispose();
  },
};

export const modelCommands: Command[] = [models, modelsShow];
