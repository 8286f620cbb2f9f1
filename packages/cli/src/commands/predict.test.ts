import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@fmnist/backend';
import { encodePng } from '@fmnist/data';
import { loadModel, predict } from '@fmnist/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticSplit } from '../../../data/src/test-utils/synthetic-fashion';
import { cli, tmp } from '../test-utils/run-cli';

let data: string;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  data = tmp('predict-data');
  writeSyntheticSplit(data, 'train', 200);
  writeSyntheticSplit(data, 'test', 40);
});
const small = () => ['--dir', data, '--no-verify', '--backend', 'cpu'];

describe('fmnist predict: the model’s input convention', () => {
  it('a model trained with --normalize standard classifies a PNG as predict(model, pixels) does in a program, told nothing', async () => {
    const out = tmp('predict-standard');
    const trained = await cli('train', '--model', 'mlp-small', '--epochs', '1', '--batch', '32', '--normalize', 'standard', ...small(), '--out', out, '--json');
    expect(trained.code, trained.err.join(' | ')).toBe(0);
    // A 28x28 garment-like pattern, light on a dark background (so predict does not invert it).
    const bytes = Uint8Array.from({ length: 28 * 28 }, (_, i) => ((i % 28) * 7 + Math.floor(i / 28) * 3) % 120);
    const png = join(tmp('predict-png'), 'garment.png');
    writeFileSync(png, encodePng({ width: 28, height: 28, channels: 1, data: bytes }));
    const r = await cli('predict', '--model-dir', out, png, '--top', '10', '--backend', 'cpu', '--json');
    expect(r.code, r.err.join(' | ')).toBe(0);
    const result = JSON.parse(r.out.at(-1) ?? '{}') as { inverted: boolean; predictions: { top: { index: number; probability: number }[] }[] };
    expect(result.inverted).toBe(false);
    const byClass = new Array<number>(10);
    for (const t of result.predictions[0].top) byClass[t.index] = t.probability;

    const { model } = await loadModel(out);
    const pixels = Float32Array.from(bytes, (v) => v * (1 / 255));
    const inProgram = await predict(model, pixels);
    expect(byClass).toEqual(Array.from(inProgram.probabilities[0]));
    // [0, 1] pixels (today's fallback for a model saved without its convention) give other answers.
    const unit = await predict(model, pixels, { input: { layout: 'flat', height: 28, width: 28, channels: 1, normalize: 'unit' } });
    expect(Array.from(unit.probabilities[0])).not.toEqual(byClass);
    model.dispose();

    // A photo-like RGB image of another size on a light background: the CLI gives what the library's predict gives for the file.
    const photo = join(tmp('predict-photo'), 'photo.png');
    const rgb = Uint8Array.from({ length: 45 * 60 * 3 }, (_, k) => {
      const [y, x] = [Math.floor(k / 180), Math.floor((k % 180) / 3)];
      return x > 15 && x < 45 && y > 8 && y < 38 ? 40 + ((x * 5 + y * 3 + (k % 3) * 20) % 90) : 235;
    });
    writeFileSync(photo, encodePng({ width: 60, height: 45, channels: 3, data: rgb }));
    const p = await cli('predict', '--model-dir', out, photo, '--top', '10', '--backend', 'cpu', '--json');
    expect(p.code, p.err.join(' | ')).toBe(0);
    const fromCli = JSON.parse(p.out.at(-1) ?? '{}') as { inverted: boolean; predictions: { top: { index: number; probability: number }[] }[] };
    const { model: again } = await loadModel(out);
    const fromLibrary = await predict(again, photo, { topK: 10 });
    expect(fromCli.inverted).toBe(true);
    expect(fromLibrary.inverted).toEqual([true]);
    expect(fromCli.predictions[0].top).toEqual(fromLibrary.top[0].map((t) => ({ class: t.className, index: t.index, probability: t.probability })));
    again.dispose();
  }, 60_000);
});
