import type { ImageBatch } from '../image-batch';
import type { Rng } from '../rng';
import { evaluationTransform, type SampleContext, type Transform } from './transform';

/** Applies transforms in order, like `torchvision.transforms.v2.Compose`. */
export class Compose implements Transform {
  readonly name = 'Compose';
  constructor(readonly transforms: readonly Transform[]) {}

  /** The deterministic steps, in order (nested Composes flattened): one step is that step, none is undefined. */
  evaluationTransform(): Transform | undefined {
    const steps = this.transforms.flatMap((t) => {
      const e = evaluationTransform(t);
      return e === undefined ? [] : e instanceof Compose ? e.transforms : [e];
    });
    if (steps.length === 0) return undefined;
    if (steps.length === 1) return steps[0];
    return steps.length === this.transforms.length && steps.every((t, i) => t === this.transforms[i]) ? this : new Compose(steps);
  }

  apply(batch: ImageBatch, rng: Rng, context?: SampleContext): ImageBatch {
    return this.transforms.reduce((b, t) => t.apply(b, rng, context), batch);
  }
}
