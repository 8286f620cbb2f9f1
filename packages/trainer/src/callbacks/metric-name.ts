/**
 * What `fit` measures of the model each epoch, as Keras names them: the training loss and accuracy
 * (means over the epoch), and with a validation split `val_loss` and `val_accuracy`. A recipe's
 * `monitor` is one of these.
 */
export const MODEL_METRICS = ['loss', 'accuracy', 'val_loss', 'val_accuracy'] as const;

export type ModelMetric = (typeof MODEL_METRICS)[number];

/**
 * The other numbers in the epoch logs: the learning rate (`lr`), the epoch's training time in
 * seconds and its images per second (`fit`), and the train/validation accuracy gap that
 * `OverfittingMonitor` adds (`gap`).
 */
export const RUN_METRICS = ['lr', 'seconds', 'imagesPerSecond', 'gap'] as const;

export type RunMetric = (typeof RUN_METRICS)[number];

/**
 * Names of metrics that your own callbacks add to the logs, so that a `monitor` option accepts
 * them. Empty here; add yours by declaration merging, once per project:
 *
 * ```ts
 * declare module '@fmnist/trainer' {
 *   interface CustomMetrics {
 *     val_auc: number;
 *   }
 * }
 * new EarlyStopping({ monitor: 'val_auc', mode: 'max' });
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the user's declaration merging
export interface CustomMetrics {}

/**
 * A metric a callback can watch: `EarlyStopping`, `ModelCheckpoint` and `ReduceLROnPlateau` take
 * one as `monitor`. Keras' names as `fit` logs them (`'val_loss'`, `'val_accuracy'`, ...), plus the
 * ones registered in {@link CustomMetrics}: a misspelt name such as `'val_acc'` (older Keras' name) is a
 * compile error rather than an error after the first epoch. A name only known at run time (a CLI
 * flag) is checked when the first epoch ends; cast it (`name as MetricName`) to pass it.
 */
export type MetricName = ModelMetric | RunMetric | Extract<keyof CustomMetrics, string>;
