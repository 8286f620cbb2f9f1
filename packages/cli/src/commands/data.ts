import { writeFileAtomic } from '@fmnist/core';
import { readFileSync } from 'node:fs';
import {
  candidateDirs,
  classHistogram,
  DataError,
  encodePng,
  fetchFashionMnist,
  isGzip,
  loadFashionMnist,
  parseIdx,
  renderImageGrid,
  Rng,
  type Split,
} from '@fmnist/data';
import type { Command } from '../command';
import { count as counted } from '../count';
import { DATA_OPTIONS } from '../data-flags';
import { formatTable } from '@fmnist/core';
import { choice, int, str } from '../options';

const dataInfo: Command = {
  path: ['data', 'info'],
  summary: 'Where the data was found, counts, class histogram, checksum status',
  options: DATA_OPTIONS,
  async run({ values, io, json }) {
    const verify = values['no-verify'] !== true;
    const splits: {
      split: Split;
      location: { kind: string; dir: string };
      count: number;
      shape: number[];
      classHistogram: Record<string, number>;
      checksum: string;
    }[] = [];
    for (const split of ['train', 'test'] as Split[]) {
      const ds = await loadFashionMnist({ split, dir: str(values, 'dir'), verify, download: false });
      splits.push({
        split,
        location: ds.location,
        count: ds.count,
        shape: [ds.count, ds.height, ds.width, ds.channels],
        classHistogram: Object.fromEntries(classHistogram(ds).map((n, c) => [ds.classNames[c], n])),
        checksum: verify ? 'ok' : 'skipped',
      });
    }
    if (json) {
      io.stdout(JSON.stringify({ searched: candidateDirs({ dir: str(values, 'dir') }), splits }));
      return;
    }
    for (const s of splits) {
      io.stdout(`${s.split}: ${counted(s.count, 'image')} from ${s.location.dir} (${s.location.kind}), sha256 ${s.checksum}`);
    }
    const names = Object.keys(splits[0].classHistogram);
    io.stdout(
      formatTable(
        ['class', 'train', 'test'],
        names.map((n) => [n, splits[0].classHistogram[n], splits[1].classHistogram[n]]),
      ),
    );
  },
};

const dataInspect: Command = {
  path: ['data', 'inspect'],
  summary: 'Type, shape and value range of any IDX file (plain or gzipped)',
  args: [{ name: 'FILE', description: 'an IDX file, plain or gzipped' }],
  options: {},
  run({ positionals, io, json }) {
    const file = positionals[0];
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      throw new DataError(file, `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const arr = parseIdx(bytes, { source: file });
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of arr.data) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const info = { file, gzip: isGzip(bytes), bytes: bytes.length, dtype: arr.dtype, shape: arr.shape, count: arr.data.length, min, max };
    if (json) io.stdout(JSON.stringify(info));
    else io.stdout(`${file}: ${info.dtype} [${info.shape.join(', ')}]${info.gzip ? ' (gzip)' : ''}, ${counted(info.count, 'value')} in [${min}, ${max}]`);
  },
};

const dataFetch: Command = {
  path: ['data', 'fetch'],
  summary: 'Download the four official files (checked by sha256) into a directory or the cache',
  options: { dir: { type: 'string', value: 'DIR', description: 'where to write the files', default: 'the cache directory' } },
  async run({ values, io, json }) {
    let last = 0;
    const results = await fetchFashionMnist({
      dir: str(values, 'dir'),
      onProgress: (file, received, total) => {
        if (json || Date.now() - last < 1000) return;
        last = Date.now();
        io.stderr(`${file}: ${(received / 1e6).toFixed(1)}${total ? ` / ${(total / 1e6).toFixed(1)}` : ''} MB`);
      },
    });
    if (json) io.stdout(JSON.stringify({ files: results }));
    else for (const r of results) io.stdout(`${r.file}: ${r.path} (${r.from === 'present' ? 'already present, verified' : 'downloaded, verified'})`);
  },
};

const dataPreview: Command = {
  path: ['data', 'preview'],
  summary: 'Write a PNG grid of sample images with their class names',
  options: {
    split: { type: 'string', value: 'SPLIT', description: 'the images to draw from', choices: ['train', 'test'], default: 'train' },
    count: { type: 'string', value: 'N', description: 'how many images, 1 to 400', default: 30 },
    seed: { type: 'string', value: 'S', description: 'seed of the random choice of images', default: 0 },
    out: { type: 'string', value: 'FILE', description: 'the PNG file to write', default: 'fashion-mnist-preview.png' },
    ...DATA_OPTIONS,
  },
  async run({ values, io, json }) {
    const split = choice(values, 'split', ['train', 'test'] as const, 'train');
    const count = int(values, 'count', 30, 1, 400);
    const ds = await loadFashionMnist({ split, dir: str(values, 'dir'), verify: values['no-verify'] !== true });
    const rng = new Rng(int(values, 'seed', 0, 0));
    const indices = rng.shuffle(Array.from({ length: ds.count }, (_, i) => i)).slice(0, count);
    const out = str(values, 'out', 'fashion-mnist-preview.png') as string;
    const image = renderImageGrid(ds, { indices, columns: Math.min(10, count) });
    writeFileAtomic(out, encodePng(image));
    if (json) io.stdout(JSON.stringify({ out, split, indices, width: image.width, height: image.height }));
    else io.stdout(`wrote ${out} (${image.width}x${image.height}, ${counted(count, `${split} image`)})`);
  },
};

export const dataCommands: Command[] = [dataInfo, dataInspect, dataFetch, dataPreview];
