import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PYTHON, pythonHas } from '../../core/src/test-utils/python';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode-image';
import { imageFormat } from './image-format';
import { encodePng } from './png';

interface Case {
  file: string;
  channels: number;
  width: number;
  height: number;
}

describe('decodeImage', () => {
  it('tells PNG and JPEG from their signatures and names other formats in one line', () => {
    expect(imageFormat(encodePng({ width: 1, height: 1, channels: 1, data: new Uint8Array(1) }))).toBe('png');
    expect(imageFormat(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0))).toBe('jpeg');
    expect(imageFormat(new Uint8Array(784))).toBeUndefined();
    const gif = new TextEncoder().encode('GIF89a\0\0\0\0');
    expect(() => decodeImage(gif, 'cat.gif')).toThrow(/^cat\.gif: a GIF image: expected a PNG or a JPEG$/);
    expect(() => decodeImage(new Uint8Array(10), 'x.bin')).toThrow(/^x\.bin: not a PNG or a JPEG \(unknown format\)$/);
    const truncated = encodePng({ width: 4, height: 4, channels: 1, data: new Uint8Array(16) }).subarray(0, 40);
    expect(() => decodeImage(truncated, 't.png')).toThrow(/^t\.png: cannot decode the PNG: /);
  });

  describe.runIf(pythonHas('PIL') || process.env.CI)('reads what Pillow reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'decode-image-'));
    execFileSync(PYTHON, [new URL('./test-utils/pil-images.py', import.meta.url).pathname, dir]);
    const cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as Case[];

    it.each(cases.filter((c) => c.file.endsWith('.png')).map((c) => [c.file, c] as const))('%s: the same samples', (_, c) => {
      const image = decodeImage(readFileSync(join(dir, c.file)), c.file);
      expect({ width: image.width, height: image.height, channels: image.channels }).toEqual({ width: c.width, height: c.height, channels: c.channels });
      expect(Buffer.from(image.data).equals(readFileSync(join(dir, `${c.file}.expected`)))).toBe(true);
    });

    it.each(cases.filter((c) => c.file.endsWith('.jpg')).map((c) => [c.file, c] as const))('%s: RGB within a level or two of libjpeg', (_, c) => {
      const image = decodeImage(readFileSync(join(dir, c.file)), c.file);
      expect({ width: image.width, height: image.height, channels: image.channels }).toEqual({ width: c.width, height: c.height, channels: 3 });
      const expected = readFileSync(join(dir, `${c.file}.expected`));
      let worst = 0;
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(image.data[i] - expected[i]));
      expect(worst).toBeLessThanOrEqual(2);
    });
  });
});
