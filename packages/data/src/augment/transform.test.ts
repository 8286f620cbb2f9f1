import { describe, expect, it } from 'vitest';
import { createImageBatch } from '../image-batch';
import { Rng } from '../rng';
import * as browser from '../browser';
import { Compose } from './compose';
import { Normalize } from './normalize';
import { RandomAffine, RandomRotation } from './random-affine';
import { RandomCrop } from './random-crop';
import { RandomErasing } from './random-erasing';
import { RandomHorizontalFlip, RandomVerticalFlip } from './random-horizontal-flip';
import { Resize } from './resize';
import { evaluationTransform, type Transform } from './transform';

describe('evaluationTransform: the deterministic preprocessing evaluation must apply too', () => {
  const normalize = new Normalize({ mean: 0.286, std: 0.353 });
  const resize = new Resize({ size: 32 });

  it('is exported by the package', () => {
    expect(browser.evaluationTransform).toBeTypeOf('function');
    expect(browser.evaluationTransform).toBe(evaluationTransform);
  });

  it('keeps Normalize and Resize, drops every random augmentation', () => {
    expect(evaluationTransform(normalize)).toBe(normalize);
    expect(evaluationTransform(resize)).toBe(resize);
    const random: Transform[] = [
      new RandomHorizontalFlip(),
      new RandomVerticalFlip(),
      new RandomCrop({ size: 28, padding: 2 }),
      new RandomErasing(),
      new RandomAffine({ degrees: 10 }),
      new RandomRotation({ degrees: 10 }),
    ];
    for (const t of random) expect(evaluationTransform(t), t.name).toBeUndefined();
    expect(evaluationTransform(undefined)).toBeUndefined();
  });

  it("keeps a Compose's deterministic steps in order, flattening nested ones; one step is that step", () => {
    const inner = new Compose([new RandomErasing(), normalize]);
    const composed = evaluationTransform(new Compose([new RandomHorizontalFlip(), resize, new RandomCrop({ size: 32, padding: 4 }), inner]));
    expect(composed).toBeInstanceOf(Compose);
    expect((composed as Compose).transforms).toEqual([resize, normalize]);
    expect(evaluationTransform(new Compose([new RandomHorizontalFlip(), normalize]))).toBe(normalize);
    expect(evaluationTransform(new Compose([new RandomHorizontalFlip(), new RandomErasing()]))).toBeUndefined();
  });

  it('a custom transform says so with `evaluation: true`; the evaluation transform prepares what training prepares, less the randomness', () => {
    const invert: Transform = {
      name: 'Invert',
      evaluation: true,
      apply: (batch) => ({ ...batch, data: batch.data.map((v) => 1 - v) }),
    };
    const train = new Compose([new RandomHorizontalFlip({ p: 0 }), invert, normalize]);
    const evaluation = evaluationTransform(train) as Transform;
    const batch = createImageBatch(2, 4, 4, 1);
    batch.data.forEach((_, i) => {
      batch.data[i] = (i % 7) / 7;
    });
    const a = train.apply({ ...batch, data: batch.data.slice() }, new Rng(1));
    const b = evaluation.apply({ ...batch, data: batch.data.slice() }, new Rng(2));
    expect(b).toEqual(a);
  });
});
