// The browser entry: the zoo without the Node file handler; loadModel/saveModel take URLs, IndexedDB or picked files.
export { ACTIVATIONS, type Activation } from './activation';
export { type CnnOptions, cnn } from './cnn';
export { type DynamicMlpParams, dynamicMlp } from './dynamic-mlp';
export { torchInit } from './init';
export { type MlpOptions, mlp } from './mlp';
export { ModelError } from './model-error';
export { countParams, flopsPerImage, type ParamCounts } from './model-stats';
export { createModel, getModelEntry, listModels, MODEL_NAMES, type ModelEntry, type ModelInfo, type ModelName, type ZooOptions } from './registry';
export { inputBatch, modelInput } from './model-input';
export type { ModelInput, ModelMetadata } from './model-metadata';
export { type BrowserModelSource, loadModel, saveModel } from './load-model-browser';
export { SeededDropout, seededDropout } from './seeded-dropout';
export { SimpleNN, type SimpleNNGradients, type SimpleNNOptions } from './simple-nn';
export { summarize } from './summary';
export { freeze, type ReplaceHeadOptions, replaceHead, unfreeze } from './transfer';
export { type VggStyleOptions, vggStyle } from './vgg-style';
export { FastBatchNormalization, fastBatchNormalization } from './fast-batch-normalization';
