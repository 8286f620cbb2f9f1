import { describe, expect, it } from 'vitest';
import { renderImageGrid } from './image-grid';
import { decodePng, encodePng } from './png';
import { syntheticDataset } from './test-utils/synthetic-fashion';

describe('PNG', () => {
  it('round-trips grey and RGBA images', () => {
    for (const channels of [1, 4] as const) {
      const data = Uint8Array.from({ length: 7 * 5 * channels }, (_, i) => (i * 37) % 256);
      const decoded = decodePng(encodePng({ width: 7, height: 5, channels, data }));
      expect(decoded).toEqual({ width: 7, height: 5, channels, data });
    }
  });

  it('rejects non-PNG input with the file name', () => {
    expect(() => decodePng(new Uint8Array(20), 'x.png')).toThrow(/x\.png: not a PNG file/);
  });

  it('renders a captioned grid', () => {
    const img = renderImageGrid(syntheticDataset(12), { indices: [0, 1, 2, 3], columns: 2 });
    expect(img.width).toBeGreaterThan(2 * 56);
    expect(img.height).toBeGreaterThan(2 * 56);
    expect(decodePng(encodePng(img)).data).toEqual(img.data);
  });
});
