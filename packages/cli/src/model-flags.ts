import type { ModelName, ZooOptions } from '@fmnist/models';
import type { OptionDef, OptionTable, Values } from './command';
import { int, intList } from './options';
import { UsageError } from './usage-error';

/** The zoo models whose options (`ZooOptions`) have the field `K`. */
type ModelsWith<K extends string> = { [M in ModelName]: K extends keyof ZooOptions[M] ? M : never }[ModelName];

/** A `train` flag that sets one option of the zoo models that have it. */
export interface ModelFlag {
  /** The option it sets, as the models' option types name it. */
  readonly option: string;
  /** Every model whose options have that field (checked by the compiler against `ZooOptions`). */
  readonly models: readonly ModelName[];
  /** The option's value, from the flag's; bad values are refused naming the flag. */
  read(values: Values): unknown;
  /** The flag as help shows it (its description names the models that take it). */
  readonly def: OptionDef;
}

/**
 * A flag for the option `option`: `models` must list exactly the zoo models whose option types
 * have that field, or this does not compile (a model given a new option, or losing one, is caught).
 */
function modelFlag<K extends string, const M extends readonly ModelsWith<K>[]>(
  option: K,
  models: M & ([Exclude<ModelsWith<K>, M[number]>] extends [never] ? unknown : { missing: Exclude<ModelsWith<K>, M[number]> }),
  read: (values: Values) => unknown,
  help: { description: string; value?: string },
): ModelFlag {
  const def: OptionDef = {
    type: help.value ? 'string' : 'boolean',
    value: help.value,
    description: `${help.description} (${models.join(', ')})`,
    ...(help.value ? { default: "the model's" } : {}),
  };
  return { option, models, read, def };
}

/** The flags of `fmnist train` that set a model option, by flag name (without `--`). */
export const MODEL_FLAGS: Readonly<Record<string, ModelFlag>> = {
  hidden: modelFlag('hidden', ['mlp'], (v) => intList(v, 'hidden', []), { value: 'UNITS', description: 'hidden layer widths, comma-separated, e.g. 128,64' }),
  layers: modelFlag('nLayers', ['dynamic-mlp'], (v) => int(v, 'layers', 2, 1, 10), { value: 'N', description: 'hidden layers, 1 to 10' }),
  width: modelFlag('width', ['dynamic-mlp'], (v) => int(v, 'width', 256, 1, 4096), { value: 'W', description: 'units per hidden layer, 1 to 4096' }),
  'batch-norm': modelFlag('batchNorm', ['mlp-small', 'mlp-wide', 'mlp', 'dynamic-mlp'], () => true, {
    description: 'BatchNorm after each hidden Dense layer',
  }),
  dropout: modelFlag(
    'dropout',
    ['mlp-small', 'mlp-wide', 'mlp', 'dynamic-mlp', 'cnn', 'vgg-style'],
    (v) => {
      const rate = Number(v.dropout);
      if (typeof v.dropout !== 'string' || v.dropout.trim() === '' || !(rate >= 0 && rate < 1)) {
        throw new UsageError(`--dropout: expected a rate from 0 to below 1, got ${JSON.stringify(v.dropout)}`);
      }
      return rate;
    },
    { value: 'RATE', description: 'dropout rate, from 0 to below 1' },
  ),
};

/** The model flags as `fmnist train`'s option table holds them. */
export const MODEL_OPTIONS: OptionTable = Object.fromEntries(Object.entries(MODEL_FLAGS).map(([flag, spec]) => [flag, spec.def]));

/**
 * The model options the flags set for `model`. A flag the model does not take is refused, naming
 * it and the models that take it (it would otherwise be ignored without a word).
 */
export function modelFlagOptions(model: ModelName, values: Values): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [flag, spec] of Object.entries(MODEL_FLAGS)) {
    if (values[flag] === undefined) continue;
    if (!spec.models.includes(model)) {
      throw new UsageError(`--${flag}: model ${model} does not take it (it sets ${spec.option} of ${spec.models.join(', ')})`);
    }
    options[spec.option] = spec.read(values);
  }
  return options;
}
