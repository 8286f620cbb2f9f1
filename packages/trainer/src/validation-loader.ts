import { DataLoader, evaluationTransform, type ImageDataset } from '@fmnist/data';
import { sameNormalization } from '@fmnist/models/internal';
import { describeObject } from './run-fingerprint';
import type { Trainable } from './trainable';
import { TrainerError } from './trainer-error';

/** A transform's evaluation steps as text (`'none'` without any): what two loaders compare. */
function describeEvaluation(loader: DataLoader): string {
  const t = evaluationTransform(loader.options.transform);
  return t === undefined ? 'none' : describeObject(t);
}

/**
 * The validation loader: a dataset is prepared as the training loader prepares its inputs
 * (normalization, layout, labels, and the deterministic steps of its transform: a Normalize, a
 * Resize, as `evaluationTransform` keeps them, without its random augmentation); a loader prepared
 * otherwise would make every decision taken on val metrics (early stopping, checkpoints, plateaus,
 * EMA) on wrong numbers, so it is refused in one line naming what differs.
 */
export function validationLoaderFor(model: Trainable, data: DataLoader | ImageDataset, train: DataLoader): DataLoader {
  const t = train.options;
  if (!(data instanceof DataLoader)) {
    return new DataLoader(data, {
      batchSize: Math.max(256, t.batchSize),
      shuffle: false,
      layout: model.layout,
      normalize: t.normalize,
      labels: t.labels,
      transform: evaluationTransform(t.transform),
    });
  }
  const v = data.options;
  if (v.layout !== model.layout) throw new TrainerError(`validation: layout '${v.layout}' does not match the model's '${model.layout}' inputs`);
  // By value: { std, mean } is { mean, std }.
  if (!sameNormalization(v.normalize, t.normalize)) {
    throw new TrainerError(
      `validation: normalize is ${JSON.stringify(v.normalize)}, the training loader's is ${JSON.stringify(t.normalize)}; validate on inputs prepared as training prepares them (or pass the dataset)`,
    );
  }
  const [mine, theirs] = [describeEvaluation(data), describeEvaluation(train)];
  if (mine !== theirs) {
    throw new TrainerError(
      `validation: the loader's evaluation transform is ${mine}, the training loader's is ${theirs}; validate on inputs prepared as training prepares them (its transform's deterministic steps, without the random ones), or pass the dataset`,
    );
  }
  return data;
}
