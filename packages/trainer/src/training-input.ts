import type { DataLoader } from '@fmnist/data';
import { loaderInput, setModelMetadata } from '@fmnist/models';
import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * Records on a layers model how its training loader prepares inputs (layout, size, normalisation)
 * and the data's class names, so `saveModel`, `predict` and `evaluate` use them without being
 * told. A later fit on other data replaces them; the summary of an earlier run no longer describes
 * the weights and is dropped.
 */
export function recordTrainingInput(model: tfl.LayersModel, loader: DataLoader): void {
  setModelMetadata(model, { input: loaderInput(model, loader), classes: [...loader.dataset.classNames], training: undefined });
}
