// The browser entry: everything but the Node file helpers.
export {
  BACKEND_CHOICES,
  BENCH_BACKENDS,
  BROWSER_BACKEND_CHOICES,
  type BackendChoice,
  type BackendName,
  type BenchBackend,
  type BrowserBackendChoice,
  type BrowserBackendName,
} from './backend-names';
export { type ErrorKind, errorKind, FmnistError } from './fmnist-error';
export { type Align, alignColumns, type FormatTableOptions, formatTable } from './format-table';
export {
  ADAM_UPDATE,
  type AdamUpdateAttrs,
  type AdamUpdateInputs,
  BATCH_NORM_TRAIN,
  BATCH_NORM_TRAIN_GRAD,
  type BatchNormTrainAttrs,
  type BatchNormTrainGradInputs,
  type BatchNormTrainInputs,
  CUSTOM_KERNELS,
  RELU_GRAD,
  type ReluGradInputs,
} from './kernel-names';
export { deriveSeed, Rng } from './rng';
export { shownValue } from './shown-value';
export { TrialPruned } from './trial-pruned';
