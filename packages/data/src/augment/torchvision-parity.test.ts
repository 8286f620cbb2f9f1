import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageBatch } from '../image-batch';
import { loadFashionMnist } from '../load-fashion-mnist';
import { Rng } from '../rng';
import { affine, rotate } from './affine';
import { crop, pad } from './crop';
import { erase } from './erase';
import { Normalize } from './normalize';
import { RandomAffine, RandomRotation } from './random-affine';
import { RandomCrop } from './random-crop';
import { RandomErasing } from './random-erasing';
import { RandomHorizontalFlip, RandomVerticalFlip } from './random-horizontal-flip';
import { Resize } from './resize';
import { PYTHON, pythonHas } from '../../../core/src/test-utils/python';

// Every transform named after torchvision, on real Fashion-MNIST images as [0, 1] floats, against
// torchvision.transforms.functional on the same float tensors (one Python run for the whole file).
// Tolerances: copies (crop, pad, flip, erase, nearest warps) must be exact; normalize is 1 ulp of
// float32 at |x| <= 3 (4e-7, we divide in double); bilinear warps and resizes 1e-5: torch computes
// the sampling grid and the weights in float32 (a coordinate of size ~14 is off by ~1e-6 pixel,
// which moves a value in [0, 1] by at most ~1e-6, plus float32 sums of 4 to 9 products).
const python = PYTHON;
const hasTorchvision = pythonHas('torchvision.transforms.functional');

const EXACT = 0;
const NORMALIZE_TOL = 4e-7;
const BILINEAR_TOL = 1e-5;

/** A torchvision call: `op` with `params`, on the input images (or one params object per image). */
interface TorchCase {
  op: 'resize' | 'pad' | 'crop' | 'padcrop' | 'hflip' | 'vflip' | 'affine' | 'rotate' | 'normalize' | 'erase';
  params?: Record<string, unknown>;
  /** One params object per image; null leaves that image as it is (an erasing that did not happen). */
  perImage?: (Record<string, unknown> | null)[];
  /** Crop the input first (to test non-square inputs): [top, left, height, width]. */
  precrop?: [number, number, number, number];
}

interface Case {
  name: string;
  torch: TorchCase;
  ours: (images: ImageBatch) => ImageBatch;
  tol: number;
}

const SCRIPT = `
import json, sys
import numpy as np
import torch
import torchvision
import torchvision.transforms.functional as F
from torchvision.transforms import InterpolationMode

inp, spec_path, out_path = sys.argv[1:4]
spec = json.load(open(spec_path))
n, h, w = spec["shape"]
images = torch.from_numpy(np.fromfile(inp, dtype=np.float32).reshape(n, 1, h, w))
modes = {"nearest": InterpolationMode.NEAREST, "bilinear": InterpolationMode.BILINEAR}

def run(op, img, p):
    if op == "resize":
        return F.resize(img, p["size"], InterpolationMode.BILINEAR, antialias=p["antialias"])
    if op == "pad":
        return F.pad(img, p["padding"], fill=p["fill"], padding_mode=p["mode"])
    if op == "crop":
        return F.crop(img, p["top"], p["left"], p["height"], p["width"])
    if op == "padcrop":
        padded = F.pad(img, p["padding"], fill=p["fill"], padding_mode=p["mode"])
        return F.crop(padded, p["top"], p["left"], p["height"], p["width"])
    if op == "hflip":
        return F.hflip(img)
    if op == "vflip":
        return F.vflip(img)
    if op == "affine":
        # fill as a list, as torchvision's RandomAffine passes it (the masked border blend).
        return F.affine(img, angle=p["angle"], translate=p["translate"], scale=p["scale"], shear=p["shear"],
                        interpolation=modes[p["interpolation"]], fill=[p["fill"]])
    if op == "rotate":
        return F.rotate(img, p["angle"], interpolation=modes[p["interpolation"]], fill=[p["fill"]])
    if op == "normalize":
        return F.normalize(img, p["mean"], p["std"])
    if op == "erase":
        if p is None:
            return img
        return F.erase(img.clone(), p["top"], p["left"], p["height"], p["width"], torch.tensor(p["value"]))
    raise ValueError(op)

outputs = []
for case in spec["cases"]:
    x = images
    if case.get("precrop"):
        t, l, ch, cw = case["precrop"]
        x = F.crop(x, t, l, ch, cw)
    if case.get("perImage") is not None:
        y = torch.cat([run(case["op"], x[i:i + 1], p) for i, p in enumerate(case["perImage"])])
    else:
        y = run(case["op"], x, case.get("params"))
    outputs.append(y.permute(0, 2, 3, 1).contiguous().numpy().astype(np.float32))

with open(out_path, "wb") as f:
    for y in outputs:
        f.write(y.tobytes())
json.dump({"torchvision": torchvision.__version__, "shapes": [list(y.shape) for y in outputs]}, open(out_path + ".json", "w"))
`;

const copy = (b: ImageBatch): ImageBatch => ({ ...b, data: b.data.slice() });

/** The params each random transform draws for each image of `n`, replaying `apply`'s stream. */
function replay<T>(n: number, seed: number, draw: (rng: Rng) => T): T[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => draw(rng));
}

function buildCases(n: number, h: number, w: number): Case[] {
  const cases: Case[] = [];
  // Resize: up, down by 2, down by a non-integer factor, to a non-square size, and the smaller edge of a non-square image.
  for (const antialias of [true, false]) {
    for (const size of [32, 14, 20, [12, 24] as [number, number]]) {
      cases.push({
        name: `Resize(${JSON.stringify(size)}, antialias=${antialias})`,
        torch: { op: 'resize', params: { size: typeof size === 'number' ? [size, size] : size, antialias } },
        ours: (x) => new Resize({ size, antialias }).apply(copy(x)),
        tol: BILINEAR_TOL,
      });
    }
    cases.push({
      name: `Resize(9, antialias=${antialias}) of a 20x28 crop (the smaller edge)`,
      torch: { op: 'resize', params: { size: 9, antialias }, precrop: [4, 0, 20, 28] },
      ours: (x) => new Resize({ size: 9, antialias }).apply(crop(x, { top: 4, left: 0, height: 20, width: 28 })),
      tol: BILINEAR_TOL,
    });
  }
  // pad + crop at a fixed offset, every padding mode, and F.crop beyond the border.
  for (const mode of ['constant', 'edge', 'reflect', 'symmetric'] as const) {
    cases.push({
      name: `crop(pad(4, ${mode}, fill 0.5), top 3, left 6)`,
      torch: { op: 'padcrop', params: { padding: 4, fill: 0.5, mode, top: 3, left: 6, height: 28, width: 28 } },
      ours: (x) => crop(pad(x, { padding: 4, fill: 0.5, paddingMode: mode }), { top: 3, left: 6, height: 28, width: 28 }),
      tol: EXACT,
    });
    cases.push({
      name: `pad([1, 2, 3, 5], ${mode})`,
      torch: { op: 'pad', params: { padding: [1, 2, 3, 5], fill: 0.25, mode } },
      ours: (x) => pad(x, { padding: [1, 2, 3, 5], fill: 0.25, paddingMode: mode }),
      tol: EXACT,
    });
  }
  cases.push({
    name: 'crop beyond the border (zeros)',
    torch: { op: 'crop', params: { top: -3, left: 10, height: 24, width: 22 } },
    ours: (x) => crop(x, { top: -3, left: 10, height: 24, width: 22 }),
    tol: EXACT,
  });
  // RandomCrop at the windows it drew.
  const randomCrop = new RandomCrop({ size: 28, padding: [2, 4], paddingMode: 'reflect' });
  cases.push({
    name: 'RandomCrop(28, padding [2, 4], reflect) at its drawn windows',
    torch: {
      op: 'padcrop',
      perImage: replay(n, 11, (rng) => ({ padding: [2, 4], fill: 0, mode: 'reflect', ...randomCrop.sampleParams(rng, h, w) })),
    },
    ours: (x) => randomCrop.apply(copy(x), new Rng(11)),
    tol: EXACT,
  });
  cases.push({
    name: 'RandomHorizontalFlip(p=1)',
    torch: { op: 'hflip' },
    ours: (x) => new RandomHorizontalFlip({ p: 1 }).apply(copy(x), new Rng()),
    tol: EXACT,
  });
  cases.push({ name: 'RandomVerticalFlip(p=1)', torch: { op: 'vflip' }, ours: (x) => new RandomVerticalFlip({ p: 1 }).apply(copy(x), new Rng()), tol: EXACT });
  cases.push({
    name: 'Normalize(0.2860, 0.3530)',
    torch: { op: 'normalize', params: { mean: [0.286], std: [0.353] } },
    ours: (x) => new Normalize({ mean: 0.286, std: 0.353 }).apply(copy(x)),
    tol: NORMALIZE_TOL,
  });
  // Affine warps at fixed parameters, both interpolations, with and without a fill.
  const warps: { angle: number; translate: [number, number]; scale: number; shear: [number, number] }[] = [
    { angle: 30, translate: [0, 0], scale: 1, shear: [0, 0] },
    { angle: -17, translate: [3, -2], scale: 1.1, shear: [10, 0] },
    { angle: 45, translate: [-1, 4], scale: 0.8, shear: [5, -8] },
    { angle: 90, translate: [0, 0], scale: 1, shear: [0, 0] },
  ];
  for (const interpolation of ['nearest', 'bilinear'] as const) {
    for (const fill of [0, 0.5]) {
      for (const p of warps) {
        cases.push({
          name: `affine(${JSON.stringify(p)}, ${interpolation}, fill ${fill})`,
          torch: { op: 'affine', params: { ...p, interpolation, fill } },
          ours: (x) => affine(x, p, { interpolation, fill }),
          tol: interpolation === 'nearest' ? EXACT : BILINEAR_TOL,
        });
      }
      for (const angle of [30, -75]) {
        cases.push({
          name: `rotate(${angle}, ${interpolation}, fill ${fill})`,
          torch: { op: 'rotate', params: { angle, interpolation, fill } },
          ours: (x) => rotate(x, angle, { interpolation, fill }),
          tol: interpolation === 'nearest' ? EXACT : BILINEAR_TOL,
        });
      }
    }
  }
  // The random warps at the parameters they drew (default interpolation: nearest, as torchvision).
  const randomAffine = new RandomAffine({ degrees: [5, 40], translate: [0.1, 0.2], scale: [0.8, 1.2], shear: [-10, 10, 0, 5], fill: 0.25 });
  cases.push({
    name: 'RandomAffine (defaults: nearest) at its drawn parameters',
    torch: { op: 'affine', perImage: replay(n, 5, (rng) => ({ ...randomAffine.sampleParams(rng, h, w), interpolation: 'nearest', fill: 0.25 })) },
    ours: (x) => randomAffine.apply(copy(x), new Rng(5)),
    tol: EXACT,
  });
  const bilinearAffine = new RandomAffine({ degrees: 20, shear: 10, interpolation: 'bilinear' });
  cases.push({
    name: 'RandomAffine(bilinear) at its drawn parameters',
    torch: { op: 'affine', perImage: replay(n, 6, (rng) => ({ ...bilinearAffine.sampleParams(rng, h, w), interpolation: 'bilinear', fill: 0 })) },
    ours: (x) => bilinearAffine.apply(copy(x), new Rng(6)),
    tol: BILINEAR_TOL,
  });
  const randomRotation = new RandomRotation({ degrees: [10, 80], fill: 1 });
  cases.push({
    name: 'RandomRotation (defaults: nearest) at its drawn angles',
    torch: { op: 'rotate', perImage: replay(n, 7, (rng) => ({ angle: randomRotation.sampleParams(rng), interpolation: 'nearest', fill: 1 })) },
    ours: (x) => randomRotation.apply(copy(x), new Rng(7)),
    tol: EXACT,
  });
  // Erasing: the functional form, and RandomErasing at the boxes it drew.
  cases.push({
    name: 'erase(top 5, left 7, 10x6, 0.7)',
    torch: { op: 'erase', params: { top: 5, left: 7, height: 10, width: 6, value: 0.7 } },
    ours: (x) => erase(copy(x), { top: 5, left: 7, height: 10, width: 6, value: 0.7 }),
    tol: EXACT,
  });
  const randomErasing = new RandomErasing({ p: 0.7, value: 0.3 });
  const boxes = replay(n, 8, (rng) => {
    if (rng.random() >= randomErasing.p) return null;
    const box = randomErasing.sampleParams(rng, h, w);
    return box ? { ...box, value: 0.3 } : null;
  });
  if (!boxes.some(Boolean) || boxes.every(Boolean)) throw new Error('seed 8 should erase some images and not others');
  cases.push({
    name: 'RandomErasing(p 0.7, value 0.3) at its drawn boxes',
    torch: { op: 'erase', perImage: boxes },
    ours: (x) => randomErasing.apply(copy(x), new Rng(8)),
    tol: EXACT,
  });
  return cases;
}

// Fashion-MNIST: eight 28x28 images (checked when they are loaded).
const N = 8;
const SIZE = 28;
const cases = buildCases(N, SIZE, SIZE);

describe.runIf(hasTorchvision || process.env.CI)('the transforms named after torchvision compute what torchvision computes', () => {
  let images: ImageBatch;
  const expected = new Map<string, { data: Float32Array; shape: number[] }>();
  let version = '';

  beforeAll(async () => {
    const test = await loadFashionMnist({ split: 'test', download: false });
    expect([test.height, test.width, test.channels]).toEqual([SIZE, SIZE, 1]);
    // The first image of each class 0..7.
    const picks = Array.from({ length: N }, (_, c) => test.labels.indexOf(c));
    const size = SIZE * SIZE;
    images = { data: new Float32Array(N * size), n: N, height: SIZE, width: SIZE, channels: 1 };
    picks.forEach((p, i) => {
      for (let k = 0; k < size; k++) images.data[i * size + k] = test.images[p * size + k] / 255;
    });
    const dir = mkdtempSync(join(tmpdir(), 'tv-parity-'));
    writeFileSync(join(dir, 'in.f32'), images.data);
    writeFileSync(join(dir, 'spec.json'), JSON.stringify({ shape: [N, SIZE, SIZE], cases: cases.map((c) => c.torch) }));
    writeFileSync(join(dir, 'parity.py'), SCRIPT);
    execFileSync(python, [join(dir, 'parity.py'), join(dir, 'in.f32'), join(dir, 'spec.json'), join(dir, 'out.f32')], { stdio: 'pipe' });
    const manifest = JSON.parse(readFileSync(join(dir, 'out.f32.json'), 'utf8')) as { torchvision: string; shapes: number[][] };
    version = manifest.torchvision;
    const bytes = readFileSync(join(dir, 'out.f32'));
    const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    let offset = 0;
    cases.forEach((c, i) => {
      const shape = manifest.shapes[i];
      const length = shape.reduce((a, b) => a * b, 1);
      expected.set(c.name, { data: all.slice(offset, offset + length), shape });
      offset += length;
    });
    expect(offset).toBe(all.length);
  }, 120_000);

  it('ran torchvision on every case', () => {
    expect(version).toMatch(/^\d+\.\d+/);
    expect(expected.size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const want = expected.get(c.name);
    if (!want) throw new Error(`no torchvision output for ${c.name}`);
    const got = c.ours(images);
    expect([got.n, got.height, got.width, got.channels]).toEqual(want.shape);
    let worst = 0;
    let at = -1;
    for (let k = 0; k < got.data.length; k++) {
      const d = Math.abs(got.data[k] - want.data[k]);
      if (!(d <= worst)) {
        worst = d;
        at = k;
      }
    }
    expect(worst, `largest difference at index ${at} (ours ${got.data[at]}, torchvision ${want.data[at]})`).toBeLessThanOrEqual(c.tol);
  });
});
