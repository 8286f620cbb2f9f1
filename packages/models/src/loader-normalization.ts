import { Compose, type DataLoaderOptions, evaluationTransform, Normalize, Resize, type Transform } from '@fmnist/data';
import type { ModelInput } from './model-metadata';

/** What `loaderNormalization` finds: the normalisation of [0, 1] pixels, and the steps it cannot express. */
export interface LoaderNormalization {
  normalize: ModelInput['normalize'];
  /** Deterministic steps of the transform that `normalize` and an image size cannot express, described; empty when none. */
  unexpressed: string[];
}

/** A transform as `Name(field=value, ...)`, its fields sorted, arrays as arrays. */
export function describeTransform(t: Transform): string {
  const fields = Object.entries(t)
    .filter(([k, v]) => k !== 'name' && typeof v !== 'function')
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .sort();
  return `${t.name}(${fields.join(', ')})`;
}

/** One value for every channel, when the values (one, or one per channel) are all the same. */
function single(values: readonly number[]): number | undefined {
  return values.every((v) => v === values[0]) ? values[0] : undefined;
}

/**
 * How a loader prepares [0, 1] pixels for evaluation, as a model's input convention says it: its
 * `normalize` option composed with the deterministic steps of its transform (`evaluationTransform`):
 * a Normalize with one mean and std for every channel folds into the normalisation (`(x - m) / s`
 * then `normalize`'s `(y - M) / S` is `(x - (m + M s)) / (s S)`; a `'none'` loader's 0..255 pixels
 * are `{ mean: 0, std: 1 / 255 }`), and a Resize is the image size the convention records (the one
 * `inputLoader` gives, antialiased: one not antialiased that downscales is not). Anything else (a
 * per-channel Normalize, a second Resize, a custom deterministic step) is `unexpressed`.
 */
export function loaderNormalization(
  options: Pick<DataLoaderOptions, 'normalize' | 'transform'>,
  image: { height: number; width: number },
): LoaderNormalization {
  const normalize = options.normalize ?? 'unit';
  // Pixels are (x - mean) / std of [0, 1] pixels x.
  let mean = 0;
  let std = normalize === 'none' ? 1 / 255 : 1;
  const unexpressed: string[] = [];
  const evaluation = evaluationTransform(options.transform);
  const steps = evaluation === undefined ? [] : evaluation instanceof Compose ? evaluation.transforms : [evaluation];
  let [height, width] = [image.height, image.width];
  let resized = false;
  for (const step of steps) {
    if (step instanceof Normalize) {
      const [m, s] = [single(step.mean), single(step.std)];
      if (m !== undefined && s !== undefined && unexpressed.length === 0) {
        mean += m * std;
        std *= s;
        continue;
      }
    } else if (step instanceof Resize) {
      const [h, w] = step.outputSize(height, width);
      const downscales = h < height || w < width;
      [height, width] = [h, w];
      if (!resized && (step.antialias || !downscales)) {
        resized = true;
        continue;
      }
    }
    unexpressed.push(describeTransform(step));
  }
  if (typeof normalize === 'object') {
    mean += normalize.mean * std;
    std *= normalize.std;
  }
  return { normalize: mean === 0 && std === 1 ? 'unit' : { mean, std }, unexpressed };
}
