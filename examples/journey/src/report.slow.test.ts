import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runJourney } from './journey';

const CHROMIUM = '/usr/bin/chromium';

// The CI run of the quick journey: every stage on a small budget, then the report in a real browser.
describe.runIf(existsSync(CHROMIUM) || process.env.CI)('pnpm journey --quick', () => {
  it('runs every stage, writes summary.json, and the report renders in Chromium with every chart and no console errors', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'journey-'));
    const results = await runJourney({ quick: true, outDir, log: () => {} });
    expect(results.map((r) => r.stage)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as { stages: Record<string, unknown>[]; machine: Record<string, unknown> };
    expect(summary.stages).toHaveLength(7);
    expect(summary.machine).toMatchObject({ cores: expect.any(Number), threads: expect.any(Number), node: process.version, backend: 'wasm' });
    expect(summary.machine.cpu).toMatch(/\w/);
    expect(summary.machine.kernelBuild).toMatch(/^(relaxed-simd|simd|js)$/);
    for (const s of summary.stages) {
      expect(Object.keys(s).sort()).toEqual(
        [
          'app',
          'epochs',
          'imagesPerSecond',
          'met',
          'model',
          'params',
          'referenceAccuracy',
          'seconds',
          'stage',
          'target',
          'testAccuracy',
          'trainAccuracy',
          'valAccuracy',
        ].sort(),
      );
      expect(typeof s.target).toBe('number');
      if (s.stage !== 1) expect(s.imagesPerSecond as number).toBeGreaterThan(0);
      // Well above chance (stage 1 is binary: 50%; the others have 10 classes). The quick budget is
      // small: stage 6's VGG sees 10 batches (29.0% after OneCycleLR began cycling Adam's beta1 as
      // PyTorch does; 37.4% before).
      expect(s.testAccuracy as number).toBeGreaterThan(s.stage === 1 ? 0.7 : 0.2);
      expect(s.testAccuracy as number).toBeLessThanOrEqual(1);
    }

    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`).toBe(true);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`file://${join(outDir, 'index.html')}`);
      const charts = await page.$$eval('[data-chart]', (els) => els.map((e) => e.getAttribute('data-chart')));
      for (const stage of [2, 3, 4, 5, 6, 7]) {
        expect(charts).toContain(`Stage ${stage}: loss`);
        expect(charts).toContain(`Stage ${stage}: accuracy`);
      }
      for (const stage of [2, 3, 5, 6]) {
        expect(charts).toContain(`Stage ${stage}: confusion matrix`);
        expect(charts).toContain(`Stage ${stage}: misclassified`);
      }
      expect(charts).toEqual(
        expect.arrayContaining([
          'Stage 4: optimisation history',
          'Stage 4: parameter importances',
          'Stage 7: profiler table',
          'Stage 7: validation accuracy by optimizer',
        ]),
      );
      // Images decoded and charts have size.
      const broken = await page.$$eval('img', (imgs) => imgs.filter((i) => !(i as HTMLImageElement).naturalWidth).length);
      expect(broken).toBe(0);
      const sizes = await page.$$eval('svg.chart', (svgs) => svgs.map((s) => s.getBoundingClientRect().width));
      expect(sizes.every((w) => w > 50)).toBe(true);
      await page.screenshot({ path: join(outDir, 'report.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 1_200_000);
});
