import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_FILES, SYSTEM_DATA_DIR } from './fashion-mnist';
import { classHistogram } from './image-dataset';
import { loadFashionMnist } from './load-fashion-mnist';
import { writeSyntheticSplit } from './test-utils/synthetic-fashion';

const empty = () => mkdtempSync(join(tmpdir(), 'fm-empty-'));

describe('loadFashionMnist with synthetic files', () => {
  it('loads from an explicit dir and reports where', async () => {
    const dir = writeSyntheticSplit(mkdtempSync(join(tmpdir(), 'fm-')), 'test', 50);
    const ds = await loadFashionMnist({ split: 'test', dir, verify: false, download: false, cacheDir: empty() });
    expect(ds.count).toBe(50);
    expect(ds.location.kind).toBe('dir');
    expect(ds.classNames[9]).toBe('Ankle boot');
  });

  it('fails the checksum of files that are not the official ones, naming the file', async () => {
    const dir = writeSyntheticSplit(mkdtempSync(join(tmpdir(), 'fm-')), 'test', 50);
    await expect(loadFashionMnist({ split: 'test', dir, download: false, cacheDir: empty() })).rejects.toThrow(
      /t10k-images-idx3-ubyte\.gz: sha256 of the decompressed payload is [0-9a-f]{64}, expected 5b4141f0/,
    );
  });

  it('uses FMNIST_DATA_DIR before the cache', async () => {
    const dir = writeSyntheticSplit(mkdtempSync(join(tmpdir(), 'fm-')), 'test', 20);
    const cache = writeSyntheticSplit(mkdtempSync(join(tmpdir(), 'fm-')), 'test', 30);
    process.env.FMNIST_DATA_DIR = dir;
    try {
      const ds = await loadFashionMnist({ split: 'test', cacheDir: cache, verify: false, download: false });
      expect(ds.location.kind).toBe('env');
      expect(ds.count).toBe(20);
    } finally {
      delete process.env.FMNIST_DATA_DIR;
    }
  });

  it('lists every place tried and the three ways to get the data when nothing is found', async () => {
    const cacheDir = empty();
    const systemDir = empty();
    const found = loadFashionMnist({ split: 'train', cacheDir, systemDir, download: false });
    await expect(found).rejects.toThrow(
      new RegExp(`cache: ${cacheDir}.*system: ${systemDir}.*apt-get install dataset-fashion-mnist.*fmnist data fetch.*FMNIST_DATA_DIR`),
    );
  });

  it('treats a directory it is given as the only place: missing files there are an error naming it, not a fall back', async () => {
    const systemDir = writeSyntheticSplit(mkdtempSync(join(tmpdir(), 'fm-sys-')), 'test', 30);
    const cacheDir = writeSyntheticSplit(mkdtempSync(join(tmpdir(), 'fm-cache-')), 'test', 30);
    const given = empty();
    await expect(loadFashionMnist({ split: 'test', dir: given, cacheDir, systemDir, verify: false, download: false })).rejects.toThrow(
      new RegExp(`are not in ${given} \\(the directory given, the only place looked at\\)`),
    );
    // Without a directory, the search order applies.
    expect((await loadFashionMnist({ split: 'test', cacheDir: empty(), systemDir, verify: false, download: false })).location.kind).toBe('system');
  });

  it('rejects an unknown split', async () => {
    await expect(loadFashionMnist({ split: 'val' as 'train' })).rejects.toThrow(/options\.split: expected 'train' or 'test'/);
  });
});

describe('download into the cache', () => {
  let server: Server;
  let base = '';
  const served = writeSyntheticSplit(mkdtempSync(join(tmpdir(), 'fm-srv-')), 'test', 40);
  let requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.url} ${req.headers.range ?? ''}`);
      const name = (req.url ?? '').split('/').pop() ?? '';
      if (req.url?.startsWith('/broken/') || !existsSync(join(served, name))) {
        res.statusCode = 404;
        res.end();
        return;
      }
      const body = readFileSync(join(served, name));
      const range = /bytes=(\d+)-/.exec(req.headers.range ?? '');
      if (range && Number(range[1]) >= body.length) {
        res.statusCode = 416;
        res.end();
      } else if (range) {
        res.statusCode = 206;
        res.end(body.subarray(Number(range[1])));
      } else res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('falls back to the next mirror, resumes a partial file, and renames only complete files', async () => {
    const cacheDir = empty();
    const name = `${FASHION_MNIST_FILES.test.images}.gz`;
    const full = readFileSync(join(served, name));
    writeFileSync(join(cacheDir, `${name}.part`), full.subarray(0, 100)); // a download killed earlier
    requests = [];
    const ds = await loadFashionMnist({ split: 'test', systemDir: empty(), cacheDir, verify: false, mirrors: [`${base}/broken/`, `${base}/ok/`] });
    expect(ds.count).toBe(40);
    expect(ds.location.kind).toBe('download');
    expect(requests).toContain(`/ok/${name} bytes=100-`);
    expect(readFileSync(join(cacheDir, name)).equals(full)).toBe(true);
    expect(existsSync(join(cacheDir, `${name}.part`))).toBe(false);
    // Next time the cache is used, without a download.
    requests = [];
    const again = await loadFashionMnist({ split: 'test', systemDir: empty(), cacheDir, verify: false, mirrors: [`${base}/ok/`] });
    expect(again.location.kind).toBe('cache');
    expect(requests).toEqual([]);
  });

  it('downloads into a directory it is given', async () => {
    const dir = empty();
    const ds = await loadFashionMnist({ split: 'test', dir, cacheDir: empty(), verify: false, mirrors: [`${base}/ok/`] });
    expect(ds.location).toMatchObject({ kind: 'dir', dir });
    expect(existsSync(join(dir, `${FASHION_MNIST_FILES.test.labels}.gz`))).toBe(true);
  });

  it('recovers from a complete .part left by a kill before the rename (a Range request would get 416)', async () => {
    const cacheDir = empty();
    const name = `${FASHION_MNIST_FILES.test.images}.gz`;
    writeFileSync(join(cacheDir, `${name}.part`), readFileSync(join(served, name)));
    requests = [];
    const ds = await loadFashionMnist({ split: 'test', systemDir: empty(), cacheDir, verify: false, mirrors: [`${base}/ok/`] });
    expect(ds.count).toBe(40);
    expect(requests.some((r) => r.includes(name))).toBe(false);
    // A .part longer than the file (416) that does not validate is downloaded again from the start.
    const cacheDir2 = empty();
    writeFileSync(join(cacheDir2, `${name}.part`), Buffer.concat([readFileSync(join(served, name)), Buffer.alloc(64, 7)]));
    requests = [];
    expect((await loadFashionMnist({ split: 'test', systemDir: empty(), cacheDir: cacheDir2, verify: false, mirrors: [`${base}/ok/`] })).count).toBe(40);
    expect(requests).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`${name} bytes=`)), `/ok/${name} `]));
  });

  it('rejects a download whose checksum is wrong and keeps no file', async () => {
    const cacheDir = empty();
    await expect(loadFashionMnist({ split: 'test', systemDir: empty(), cacheDir, mirrors: [`${base}/ok/`] })).rejects.toThrow(/sha256/);
    expect(existsSync(join(cacheDir, `${FASHION_MNIST_FILES.test.images}.gz`))).toBe(false);
    rmSync(cacheDir, { recursive: true, force: true });
  });
});

const realData = existsSync(join(SYSTEM_DATA_DIR, `${FASHION_MNIST_FILES.train.images}.gz`)) || !!process.env.FMNIST_DATA_DIR;

describe.runIf(realData || process.env.CI)('the real Fashion-MNIST', () => {
  it('has 60,000 train and 10,000 test images, 6,000 and 1,000 per class, with verified checksums', async () => {
    const train = await loadFashionMnist({ split: 'train', download: false });
    const test = await loadFashionMnist({ split: 'test', download: false });
    expect(train.count).toBe(60_000);
    expect(test.count).toBe(10_000);
    expect(train.verified && test.verified).toBe(true);
    expect(classHistogram(train)).toEqual(new Array(10).fill(6000));
    expect(classHistogram(test)).toEqual(new Array(10).fill(1000));
    expect(train.images.length).toBe(60_000 * 784);
    expect(train.images).toBeInstanceOf(Uint8Array);
  });
});
