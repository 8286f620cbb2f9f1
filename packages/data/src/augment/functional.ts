// The deterministic cores of the transforms, at given parameters, named and parameterised as
// torchvision.transforms.functional: `import { functional as F } from '@fmnist/data'`.
// Each takes and returns an ImageBatch (NHWC floats) and applies the same parameters to every image.
export { affine, rotate } from './affine';
export { crop, pad } from './crop';
export { erase } from './erase';
export { normalize } from './normalize';
export { hflip, vflip } from './random-horizontal-flip';
export { resize } from './resize';
