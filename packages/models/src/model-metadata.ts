/** How a model wants its pixels: the layout of a batch and the normalisation of [0, 1] pixels. */
export interface ModelInput {
  layout: 'flat' | 'image';
  height: number;
  width: number;
  channels: number;
  normalize: 'unit' | { mean: number; std: number };
}

/** What we store beside the weights so a model can be used without knowing how it was trained. */
export interface ModelMetadata {
  /** Zoo name, e.g. `'cnn'`. */
  model: string;
  /** Options it was created with. */
  options?: Record<string, unknown>;
  /** Class names in label order. */
  classes?: string[];
  /** How inputs must be prepared: layout and normalisation of [0, 1] pixels. */
  input?: ModelInput;
  /** Summary of the training run (epochs, accuracies, seconds...). */
  training?: Record<string, unknown>;
}
