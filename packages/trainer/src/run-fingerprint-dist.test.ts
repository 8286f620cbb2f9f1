import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Compose, RandomCrop, RandomHorizontalFlip } from '@fmnist/data';
import { describe, expect, it } from 'vitest';
import { describeObject } from './run-fingerprint';

// A checkpoint written by a run from source (the CLI in this repository) must resume with the
// published build and the reverse: the fingerprint names classes, and the built files must keep
// their names (esbuild renames a class that refers to itself, `class _Compose`, unless told not to).
const dist = fileURLToPath(new URL('../../data/dist/index.js', import.meta.url));

describe.skipIf(!existsSync(dist) && !process.env.CI)('class names in the published build', () => {
  it('describes a transform as the source does', async () => {
    const built = (await import(dist)) as typeof import('@fmnist/data');
    const make = (m: typeof import('@fmnist/data')) => new m.Compose([new m.RandomCrop({ size: 28, padding: 2 }), new m.RandomHorizontalFlip()]);
    const fromSource = describeObject(make({ Compose, RandomCrop, RandomHorizontalFlip } as typeof import('@fmnist/data')));
    expect(fromSource).toMatch(/^Compose\(transforms=\[RandomCrop\(/);
    expect(describeObject(make(built))).toBe(fromSource);
    expect(new built.DataError('RandomCrop', 'x').name).toBe('DataError');
  });
});
