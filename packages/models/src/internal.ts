// Plumbing that other @fmnist packages need and users do not: `@fmnist/models/internal`, free to
// change between versions. The main entry is the documented API.
export { type BatchNormTrainResult, batchNormTrain } from './ops/batch-norm-train';
export { setDropoutStream } from './seeded-dropout';
export { DropoutStream, type DropoutState, mixSeed, seedDropout } from './seeds';
export { fastBatchNormParts } from './fast-batch-normalization';
export { batchNormTrainBackward, batchNormTrainForward, varianceFromInvStd } from './ops/batch-norm-train';
export { dropoutMultiplier, dropoutParts } from './seeded-dropout';
export { followKerasFrozenBatchNorm, followKerasFrozenBatchNorms } from './frozen-batch-norm';
export { inputNormalization, sameNormalization } from './model-input';
export { describeTransform, type LoaderNormalization, loaderNormalization } from './loader-normalization';
