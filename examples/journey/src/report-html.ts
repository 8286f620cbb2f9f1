import { encodePng, type ImageDataset, renderImageGrid } from '@fmnist/data';
import type { PlotData } from '@fmnist/tuner';
import { imagesPerSecond, type MachineInfo } from './machine-info';
import type { StageResult } from '@fmnist/example-stage-kit';
import { barChart, esc, heatmap, lineChart, type Series } from './svg-charts';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '' : `${(v * 100).toFixed(2)}%`);

function curves(r: StageResult): string {
  const h = r.history ?? [];
  if (h.length === 0) return '';
  const series = (key: string, name: string, dashed = false): Series => ({
    name,
    dashed,
    points: h.map((e, i) => [i + 1, e[key]] as [number, number]).filter(([, v]) => v !== undefined),
  });
  return `<div class="row">${lineChart(`Stage ${r.stage}: loss`, [series('loss', 'train'), series('val_loss', 'validation', true)])}${lineChart(`Stage ${r.stage}: accuracy`, [series('accuracy', 'train'), series('val_accuracy', 'validation', true)])}</div>`;
}

function mistakesGrid(r: StageResult, test: ImageDataset): string {
  if (!r.mistakes?.length) return '';
  const img = renderImageGrid(test, {
    indices: r.mistakes.map((m) => m.index),
    columns: 8,
    caption: (i) => {
      const m = r.mistakes?.find((x) => x.index === i);
      return m ? `${test.classNames[m.label].slice(0, 8)}>${test.classNames[m.predicted].slice(0, 8)}` : '';
    },
  });
  const src = `data:image/png;base64,${Buffer.from(encodePng(img)).toString('base64')}`;
  return `<figure class="chart" data-chart="Stage ${r.stage}: misclassified"><img alt="misclassified test images of stage ${r.stage}" src="${src}" width="${img.width}" height="${img.height}"><figcaption>Misclassified test images (true &gt; predicted)</figcaption></figure>`;
}

function table(header: string[], rows: (string | number)[][]): string {
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(String(c))}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function extras(r: StageResult): string {
  const parts: string[] = [];
  const tuning = r.tuning as { plot: PlotData; bestParams: Record<string, unknown>; states: Record<string, number> } | undefined;
  if (tuning) {
    parts.push(
      `<div class="row">${lineChart(
        'Stage 4: optimisation history',
        [
          { name: 'trial value', points: tuning.plot.history.map((h) => [h.number, h.value]) },
          { name: 'best so far', points: tuning.plot.history.map((h) => [h.number, h.best]), dashed: true },
        ],
        { xLabel: 'trial' },
      )}${barChart('Stage 4: parameter importances', tuning.plot.importances)}</div>`,
    );
    parts.push(
      lineChart(
        'Stage 4: intermediate values (validation accuracy per epoch)',
        tuning.plot.intermediateValues.slice(0, 6).map((t) => ({ name: `#${t.number} ${t.state.toLowerCase()}`, points: t.steps.map(([s, v]) => [s + 1, v]) })),
      ),
    );
    parts.push(`<p>Best parameters: <code>${esc(JSON.stringify(tuning.bestParams))}</code>; trials: ${esc(JSON.stringify(tuning.states))}</p>`);
  }
  const transfer = r.transfer as { labels: number; fromScratch: number; headOnly: number; fineTuned: number } | undefined;
  if (transfer) {
    parts.push(
      `<h4>Transfer learning (${transfer.labels} labels)</h4>${table(['from scratch', 'frozen base + new head', 'fine-tuned'], [[pct(transfer.fromScratch), pct(transfer.headOnly), pct(transfer.fineTuned)]])}`,
    );
  }
  const variants = r.variants as { variant: string; testAccuracy: number; seconds: number; history: Record<string, number>[] }[] | undefined;
  if (variants) {
    parts.push(
      table(
        ['variant', 'test accuracy', 'seconds'],
        variants.map((v) => [v.variant, pct(v.testAccuracy), v.seconds.toFixed(0)]),
      ),
    );
    parts.push(
      lineChart(
        'Stage 7: validation accuracy by optimizer',
        variants.map((v) => ({
          name: v.variant.replace(' momentum 0.9', '').slice(0, 16),
          points: v.history.map((e, i) => [i + 1, e.val_accuracy] as [number, number]),
        })),
      ),
    );
  }
  const profile = r.profile as
    | {
        model: string;
        mode: string;
        backend: string;
        batch: number;
        latencyMs: { p50: number; p95: number; p99: number };
        imagesPerSecond: number;
        peakBytes: number;
        peakRssMb: number;
      }[]
    | undefined;
  if (profile) {
    parts.push(
      `<div class="chart" data-chart="Stage 7: profiler table"><h4>Profile</h4>${table(
        ['mode', 'backend', 'batch', 'p50 ms', 'p95 ms', 'p99 ms', 'images/s', 'peak tensor MB', 'RSS MB'],
        profile.map((p) => [
          p.mode,
          p.backend,
          p.batch,
          p.latencyMs.p50.toFixed(2),
          p.latencyMs.p95.toFixed(2),
          p.latencyMs.p99.toFixed(2),
          Math.round(p.imagesPerSecond),
          (p.peakBytes / 1e6).toFixed(1),
          p.peakRssMb,
        ]),
      )}</div>`,
    );
  }
  return parts.join('');
}

/** A self-contained HTML report: summary table, curves, confusion matrices, mistakes, tuner and profiler. */
export function reportHtml(results: StageResult[], test: ImageDataset, meta: { quick: boolean; machine: MachineInfo; seconds: number; date: string }): string {
  const summary = table(
    ['stage', 'app', 'model', 'params', 'epochs', 'seconds', 'images/s', 'train', 'val', 'test', 'gap', 'reference', 'target', 'met'],
    results.map((r) => [
      r.stage,
      r.app,
      r.model,
      r.params.toLocaleString('en-US'),
      r.epochs,
      r.seconds.toFixed(0),
      imagesPerSecond(r.history)?.toFixed(0) ?? '',
      pct(r.trainAccuracy),
      pct(r.valAccuracy),
      pct(r.testAccuracy),
      r.gap === null || r.gap === undefined ? '' : `${(r.gap * 100).toFixed(1)} pts`,
      pct(r.referenceAccuracy),
      pct(r.target),
      r.met ? 'yes' : 'no',
    ]),
  );
  const sections = results.map(
    (r) =>
      `<section id="stage-${r.stage}"><h2>Stage ${r.stage}: ${esc(r.app)}</h2><p>${esc(r.model)}, ${r.params.toLocaleString('en-US')} parameters, ${r.epochs} epochs, ${r.seconds.toFixed(0)} s. Test accuracy <b>${pct(r.testAccuracy)}</b> (reference ${pct(r.referenceAccuracy)}, target ${pct(r.target)}: ${r.met ? 'met' : 'not met'}).${r.notes ? ` ${esc(r.notes)}` : ''}</p>${curves(r)}<div class="row">${r.confusionMatrix ? heatmap(`Stage ${r.stage}: confusion matrix`, r.confusionMatrix, test.classNames as string[]) : ''}${mistakesGrid(r, test)}</div>${extras(r)}</section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fashion-MNIST journey report</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;max-width:1100px;color:#111}
table{border-collapse:collapse;margin:8px 0;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f5f5f5}
td:nth-child(2),td:nth-child(3){text-align:left}.row{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
svg .t{font-size:13px;font-weight:600}svg .tick{font-size:10px;fill:#444}svg .cell{font-size:9px}figure{margin:0}figcaption{font-size:12px;color:#555}
section{border-top:1px solid #eee;margin-top:24px}code{font-size:12px}
</style></head><body>
<h1>Fashion-MNIST journey</h1>
<p>${meta.quick ? 'Quick run (small budgets: accuracies are not the targets). ' : ''}Total ${(meta.seconds / 60).toFixed(1)} min, ${esc(meta.date)}.</p>
<p>Machine: ${esc(meta.machine.cpu)}, ${meta.machine.cores} cores; Node ${esc(meta.machine.node)}; backend ${esc(meta.machine.backend)} (${esc(meta.machine.backendPackage)}), ${meta.machine.threads} threads${meta.machine.kernelBuild ? `, our kernels built with ${esc(meta.machine.kernelBuild)}${meta.machine.winograd ? ', Winograd 3x3 convolutions' : ''}: ${esc(meta.machine.kernels.join(', '))}` : ''}.</p>
${summary}
${sections.join('\n')}
</body></html>`;
}
