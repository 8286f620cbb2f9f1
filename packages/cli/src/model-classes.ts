import type { ModelMetadata } from '@fmnist/models';
import type * as tfl from '@tensorflow/tfjs-layers';
import { UsageError } from './usage-error';

/** How many classes a model scores: the last dimension of its output (undefined when not fixed). */
export function outputClasses(model: tfl.LayersModel): number | undefined {
  const shape = model.outputs[0]?.shape;
  const units = shape?.[shape.length - 1];
  return typeof units === 'number' ? units : undefined;
}

const list = (names: readonly string[]) => (names.length <= 12 ? names.join(', ') : `${names.slice(0, 12).join(', ')}, ...`);

/**
 * The class names to score the model at `dir` on data labelled with `dataClasses`: the model's own
 * (its saved metadata) when it has them, else the data's. A model that scores another number of
 * classes than the data has, or whose metadata names another number than it scores, is refused in
 * one line (tfjs would fail deep inside the loss).
 */
export function evalClassNames(dir: string, model: tfl.LayersModel, metadata: ModelMetadata | undefined, dataClasses: readonly string[]): string[] {
  const units = outputClasses(model);
  const own = metadata?.classes;
  if (own && units !== undefined && own.length !== units) {
    throw new UsageError(`--model-dir ${dir}: the model scores ${units} classes but its metadata names ${own.length} (${list(own)})`);
  }
  const count = units ?? own?.length;
  if (count !== undefined && count !== dataClasses.length) {
    throw new UsageError(
      `--model-dir ${dir}: the model scores ${count} classes${own ? ` (${list(own)})` : ''}, the test set has ${dataClasses.length} (${list(dataClasses)}): eval needs a ${dataClasses.length}-class model`,
    );
  }
  return [...(own ?? dataClasses)];
}
