import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { candidateDirs, encodePng, loadFashionMnist, locateSplit } from '@fmnist/data';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));
const webRoot = join(here, '..');
const repoRoot = join(webRoot, '../..');

/** Test image `index` as a PNG the way a person would have it: dark garment on a white background. */
async function photoLikePng(label: number): Promise<{ png: Uint8Array }> {
  const test = await loadFashionMnist({ split: 'test', download: false });
  const index = test.labels.indexOf(label);
  const data = Uint8Array.from(test.images.subarray(index * 784, (index + 1) * 784), (v) => 255 - v);
  return { png: encodePng({ width: 28, height: 28, channels: 1, data }) };
}

describe.runIf(existsSync(CHROMIUM) || process.env.CI)('the web playground (examples/web)', () => {
  it('loads the data, trains in the page with live charts, predicts a drawing and an upload, compares with a Node model, works offline and on a phone', async () => {
    const work = mkdtempSync(join(tmpdir(), 'fmnist-web-'));
    // A model trained by the real CLI in Node, standardised inputs (the page must read that from its metadata).
    const modelDir = join(work, 'node-model');
    await promisify(execFile)(
      process.execPath,
      [
        '--conditions=@fmnist/source',
        '--import',
        'tsx',
        'packages/cli/src/bin.ts',
        'train',
        '--model',
        'mlp-small',
        '--epochs',
        '2',
        '--subset',
        '6000',
        '--normalize',
        'standard',
        '--out',
        modelDir,
        '--json',
      ],
      { cwd: repoRoot, env: { ...process.env, FMNIST_THREADS: '1' } },
    );
    process.env.FMNIST_WEB_MODEL_DIR = modelDir;
    const outDir = join(work, 'dist');
    // vitest sets NODE_ENV=test; measure and serve the production build a user would deploy.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    await build({ mode: 'production', root: webRoot, configFile: join(webRoot, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    process.env.NODE_ENV = nodeEnv;
    const assets = readdirSync(join(outDir, 'assets'));
    const js = assets.filter((f) => f.endsWith('.js')).map((f) => join(outDir, 'assets', f));
    const jsBytes = js.reduce((a, f) => a + statSync(f).size, 0);
    const jsGzip = js.reduce((a, f) => a + gzipSync(readFileSync(f)).length, 0);
    const server = await preview({
      root: webRoot,
      configFile: join(webRoot, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir },
      preview: { port: 0, host: '127.0.0.1' },
    });
    const url = server.resolvedUrls?.local[0] as string;
    const { png } = await photoLikePng(1);
    const pngPath = join(work, 'trouser.png');
    writeFileSync(pngPath, png);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(60_000);
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      await page.waitForSelector('body[data-backend]', { state: 'attached', timeout: 60_000 });
      const backend = await page.getAttribute('body', 'data-backend');

      // Data picked from disk (the four files wherever @fmnist/data finds them), then the served copy.
      const train = locateSplit('train', candidateDirs());
      const test = locateSplit('test', candidateDirs());
      if (!train || !test) throw new Error('Fashion-MNIST files not found');
      await page.setInputFiles('#pick-data', [train.images, train.labels, test.images, test.labels]);
      await page.waitForSelector('body[data-data="loaded"]', { state: 'attached', timeout: 180_000 });
      expect(await page.textContent('#data-status')).toMatch(/60,000 training and 10,000 test images/);
      await page.evaluate(() => {
        delete document.body.dataset.data;
      });
      await page.click('#load-served');
      await page.waitForSelector('body[data-data="loaded"]', { state: 'attached', timeout: 180_000 });
      expect(await page.textContent('#data-status')).toMatch(/60,000 training and 10,000 test images/);
      expect(await page.$$eval('#data-progress progress', (bars) => bars.map((b) => (b as HTMLProgressElement).value))).toEqual([1, 1, 1, 1]);
      expect(await page.$eval('#samples', (c) => (c as HTMLCanvasElement).height)).toBeGreaterThan(100);

      // Train a small model for one short epoch on a subset.
      await page.selectOption('select[name="model"]', 'mlp-small');
      await page.fill('input[name="subset"]', '6000');
      await page.fill('input[name="epochs"]', '1');
      await page.click('#train');
      await page.waitForSelector('body[data-training]', { state: 'attached' });
      // The page answers while training, and the train curves grow.
      const pointsWhileTraining: number[] = [];
      const pingMs: number[] = [];
      while ((await page.getAttribute('body', 'data-training')) === 'running') {
        const t0 = Date.now();
        pointsWhileTraining.push(await page.$eval('#loss-chart svg', (s) => Number(s.getAttribute('data-points'))));
        pingMs.push(Date.now() - t0);
        await page.waitForTimeout(100);
      }
      expect(await page.getAttribute('body', 'data-training'), (await page.textContent('#train-status')) ?? '').toBe('done');
      expect(Math.max(...pointsWhileTraining, 0)).toBeGreaterThan(0);
      expect(await page.$eval('#loss-chart svg', (s) => Number(s.getAttribute('data-points')))).toBeGreaterThan(20);
      expect(await page.$$eval('#accuracy-chart circle', (c) => c.length)).toBe(1); // the validation point
      const status = (await page.textContent('#train-status')) as string;
      const testAccuracy = Number(/test (\d+\.\d+)%/.exec(status)?.[1]) / 100;
      expect(testAccuracy).toBeGreaterThan(0.65);
      const imagesPerSecond = Number(await page.getAttribute('#train-status', 'data-images-per-second'));
      expect(imagesPerSecond).toBeGreaterThan(0);
      expect(await page.textContent('#test-accuracy')).toMatch(/Test accuracy \d+\.\d+%/);
      expect(await page.$$eval('#confusion rect', (r) => r.length)).toBe(100);
      expect(await page.$eval('#mistakes', (c) => (c as HTMLCanvasElement).height)).toBeGreaterThan(50);

      // Draw on the pad: three guesses.
      await page.locator('#pad').scrollIntoViewIfNeeded();
      const box = await page.locator('#pad').boundingBox();
      if (!box) throw new Error('no drawing pad');
      await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.15);
      await page.mouse.down();
      for (const [fx, fy] of [
        [0.3, 0.9],
        [0.5, 0.9],
        [0.5, 0.2],
        [0.7, 0.9],
      ])
        await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy, { steps: 8 });
      await page.mouse.up();
      await page.waitForSelector('body[data-predicted="1"]', { state: 'attached' });
      expect(await page.$$eval('#predictions li', (li) => li.length)).toBe(3);
      // Upload a photo-like picture (dark on white): inverted, resized, and recognised.
      await page.setInputFiles('#pick-image', pngPath);
      await page.waitForSelector('body[data-predicted="2"]', { state: 'attached' });
      const guesses = await page.$$eval('#predictions li span:first-child', (s) => s.map((e) => e.textContent));
      expect(guesses).toContain('Trouser');

      // The Node-trained model: loaded over HTTP, scored on the test set, beside the page's model.
      await page.click('#load-model-url');
      await page.waitForSelector('body[data-node-model="scored"]', { state: 'attached', timeout: 120_000 });
      const rows = await page.$$eval('#compare tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      expect(
        rows.map((r) => r[0]),
        (await page.textContent('#compare')) ?? '',
      ).toEqual(['mlp-small trained here', 'mlp-small trained in Node']);
      const nodeAccuracy = Number((rows[1][2] as string).replace('%', '')) / 100;
      expect(nodeAccuracy).toBeGreaterThan(0.75);
      expect(await page.$$eval('.prediction', (p) => p.length)).toBe(2);
      const screenshots = join(repoRoot, 'reports/web');
      mkdirSync(screenshots, { recursive: true });
      await page.screenshot({ path: join(screenshots, 'playground.png'), fullPage: true });

      // A phone-sized screen: nothing wider than the viewport.
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(screenshots, 'playground-phone.png'), fullPage: true });

      // Offline once loaded: the service worker serves the app and the data.
      const step = (name: string) => console.log(`[web e2e] ${name}`);
      step('waiting for the service worker');
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      // Give the worker time to copy the data it was asked to keep.
      await page.waitForFunction(
        async () => (await (await caches.open('fmnist-web-v1')).keys()).filter((r) => r.url.includes('/data/')).length === 4,
        undefined,
        { timeout: 60_000 },
      );
      await context.setOffline(true);
      step('offline reload');
      await page.reload();
      step('offline data load');
      await page.click('#load-served');
      await page.waitForSelector('body[data-data="loaded"]', { state: 'attached', timeout: 180_000 });
      await context.setOffline(false);

      // Two wasm threads: our kernels get a worker of their own (a Blob-URL Web Worker on the
      // shared memory) and a cnn trains on both.
      step('cnn on two threads');
      const threaded = await context.newPage();
      threaded.setDefaultTimeout(60_000);
      threaded.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      threaded.on('pageerror', (e) => errors.push(e.message));
      await threaded.goto(`${url}?backend=wasm&threads=2`);
      await threaded.waitForSelector('body[data-backend]', { state: 'attached', timeout: 60_000 });
      expect(await threaded.getAttribute('body', 'data-threads'), (await threaded.getAttribute('#backend-info', 'title')) ?? '').toBe('2');
      await threaded.click('#load-served');
      await threaded.waitForSelector('body[data-data="loaded"]', { state: 'attached', timeout: 180_000 });
      await threaded.selectOption('select[name="model"]', 'cnn');
      await threaded.fill('input[name="subset"]', '1500');
      await threaded.fill('input[name="epochs"]', '1');
      await threaded.click('#train');
      await threaded.waitForSelector('body[data-training="done"], body[data-training="failed"]', { state: 'attached', timeout: 300_000 });
      const threadedStatus = (await threaded.textContent('#train-status')) as string;
      expect(await threaded.getAttribute('body', 'data-training'), threadedStatus).toBe('done');
      const cnnAccuracy = Number(/test (\d+\.\d+)%/.exec(threadedStatus)?.[1]) / 100;
      expect(cnnAccuracy, threadedStatus).toBeGreaterThan(0.5);
      const cnnImagesPerSecond = Number(await threaded.getAttribute('#train-status', 'data-images-per-second'));

      expect(errors).toEqual([]);
      const report = {
        backend,
        imagesPerSecond: Math.round(imagesPerSecond),
        testAccuracy,
        cnnTwoThreads: { imagesPerSecond: Math.round(cnnImagesPerSecond), testAccuracy: cnnAccuracy },
        nodeAccuracy,
        jsBytes,
        jsGzipBytes: jsGzip,
        maxPingMs: Math.max(...pingMs),
      };
      writeFileSync(join(screenshots, 'e2e.json'), `${JSON.stringify(report, null, 2)}\n`);
      console.log(`web playground: ${JSON.stringify(report)}`);
    } finally {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
      delete process.env.FMNIST_WEB_MODEL_DIR;
    }
  }, 900_000);
});
