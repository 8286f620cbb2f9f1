// The browser entry: everything that needs no Node built-ins (no fs, zlib, crypto or path).
// Load the data with `loadFashionMnistFromUrl` or `parseIdxAsync` (a picked File is a Blob).
export type { AffineMatrix, AffineParams, Interpolation, WarpOptions } from './augment/affine';
export { Compose } from './augment/compose';
export type { CropParams, PadOptions, Padding, PaddingMode } from './augment/crop';
export { CutMix } from './augment/cut-mix';
export type { EraseParams } from './augment/erase';
export * as functional from './augment/functional';
export { MixUp } from './augment/mix-up';
export { Normalize, type NormalizeOptions } from './augment/normalize';
export { RandomAffine, type RandomAffineOptions, RandomRotation, type RandomRotationOptions } from './augment/random-affine';
export { RandomCrop, type RandomCropOptions } from './augment/random-crop';
export { RandomErasing, type RandomErasingOptions } from './augment/random-erasing';
export { AlternatingHorizontalFlip } from './augment/alternating-horizontal-flip';
export { RandomHorizontalFlip, RandomVerticalFlip } from './augment/random-horizontal-flip';
export { Resize, type ResizeOptions } from './augment/resize';
export { evaluationTransform, type MixTransform, type SampleContext, type Transform } from './augment/transform';
export { drawText, textWidth } from './bitmap-font';
export { DataError } from './data-error';
export { type Batch, DataLoader, type DataLoaderOptions, type HostBatch, type Layout, type Normalization } from './data-loader';
export {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_COUNTS,
  FASHION_MNIST_FILES,
  FASHION_MNIST_MEAN,
  FASHION_MNIST_MIRRORS,
  FASHION_MNIST_SHA256,
  FASHION_MNIST_STD,
  type Split,
} from './fashion-mnist';
export { createImageBatch, type ImageBatch } from './image-batch';
export { classHistogram, type ImageDataset, imageSize, selectIndices } from './image-dataset';
export { type ImageFormat, imageFormat, otherImageFormat } from './image-format';
export { isGzip } from './is-gzip';
export { IDX_TYPES, type IdxArray, type IdxDtype, type IdxTypedArray } from './idx-types';
export { idxArraysToDataset } from './idx-arrays-to-dataset';
export { type FetchFashionMnistProgress, type LoadFashionMnistFromUrlOptions, loadFashionMnistFromUrl } from './load-fashion-mnist-from-url';
export { DEFAULT_MAX_BYTES, decodeIdx, type IdxHeader, type ParseIdxOptions, parseIdxHeader } from './decode-idx';
export { type IdxInput, type ParseIdxAsyncOptions, parseIdxAsync } from './parse-idx-async';
export type { RawImage } from './raw-image';
export { deriveSeed, Rng } from './rng';
export { indicesByClass, stratifiedIndices, stratifiedSubset } from './stratified-subset';
export { type TrainValSplitOptions, trainValSplit } from './train-val-split';
