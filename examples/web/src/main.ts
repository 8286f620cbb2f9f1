import './style.css';
import { FASHION_MNIST_CLASSES, type ImageDataset } from '@fmnist/data';
import { loadModel, type ModelInput, type ModelName, modelInput } from '@fmnist/models';
import type { Evaluation, OptimizerName } from '@fmnist/trainer';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { requestedBackend, setupBackend } from './backend-setup';
import { renderConfusion } from './confusion-chart';
import { type FashionMnistData, loadPicked, loadServed, type ProgressHandler } from './data-source';
import { DrawPad } from './draw-pad';
import { drawGrid, type GridItem } from './image-grid';
import { imageToPixels } from './image-to-pixels';
import { renderLineChart, type Series } from './line-chart';
import { topK } from './model-input';
import { evaluateOnTest, type TrainSettings, trainInPage } from './train-session';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

interface LoadedModel {
  name: string;
  model: tfl.LayersModel;
  spec: ModelInput;
  testAccuracy?: number;
}

const state: { data?: FashionMnistData; page?: LoadedModel; node?: LoadedModel; pixels?: Float32Array; stop: boolean; training: boolean } = {
  stop: false,
  training: false,
};

function setStatus(id: string, text: string, kind: 'ok' | 'error' | 'info' = 'info'): void {
  const el = $(id);
  el.textContent = text;
  el.dataset.kind = kind;
}

/** Errors end up on the page, next to what failed, not only in the console. */
async function guarded(statusId: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    setStatus(statusId, (error as Error).message, 'error');
  }
}

// ---- backend
const backendSelect = $<HTMLSelectElement>('backend-select');
backendSelect.value = requestedBackend();
backendSelect.addEventListener('change', () => {
  const url = new URL(location.href);
  url.searchParams.set('backend', backendSelect.value);
  location.href = url.href;
});
const backendReady = setupBackend().then(
  (info) => {
    const badge = $('backend-info');
    badge.textContent = `${info.name}${info.threads > 1 ? ` (${info.threads} threads)` : ''}: ${info.reason}`;
    badge.title = info.notes.join('\n');
    document.body.dataset.backend = info.name;
    document.body.dataset.threads = String(info.threads);
    return info;
  },
  (error: Error) => {
    setStatus('backend-info', error.message, 'error');
    throw error;
  },
);

// ---- data
const progressBars = new Map<string, HTMLProgressElement>();
const onProgress: ProgressHandler = ({ file, loaded, total }) => {
  let bar = progressBars.get(file);
  if (!bar) {
    const row = document.createElement('label');
    row.textContent = file;
    bar = document.createElement('progress');
    bar.max = 1;
    row.append(bar);
    $('data-progress').append(row);
    progressBars.set(file, bar);
  }
  bar.value = total ? loaded / total : 0;
};

function showSamples(train: ImageDataset): void {
  const items: GridItem[] = [];
  const perClass = 6;
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < train.count && items.length < 10 * perClass; i++) {
    const label = train.labels[i];
    if (counts[label] >= perClass) continue;
    counts[label]++;
    items.push({ pixels: train.images.subarray(i * 784, (i + 1) * 784), caption: FASHION_MNIST_CLASSES[label] });
  }
  items.sort(
    (a, b) =>
      FASHION_MNIST_CLASSES.indexOf(a.caption as (typeof FASHION_MNIST_CLASSES)[number]) -
      FASHION_MNIST_CLASSES.indexOf(b.caption as (typeof FASHION_MNIST_CLASSES)[number]),
  );
  drawGrid($<HTMLCanvasElement>('samples'), items, { columns: 10, scale: 2 });
}

async function useData(load: () => Promise<FashionMnistData>): Promise<void> {
  await guarded('data-status', async () => {
    setStatus('data-status', 'loading…');
    const started = performance.now();
    state.data = await load();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    setStatus(
      'data-status',
      `${state.data.train.count.toLocaleString()} training and ${state.data.test.count.toLocaleString()} test images in ${seconds} s`,
      'ok',
    );
    showSamples(state.data.train);
    $<HTMLButtonElement>('train').disabled = false;
    document.body.dataset.data = 'loaded';
    // Data fetched before the service worker took control is not in its cache yet: ask it to keep a copy.
    navigator.serviceWorker?.controller?.postMessage({
      cache: performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((u) => u.includes('/data/')),
    });
    if (state.node) await scoreNodeModel();
  });
}
$('load-served').addEventListener('click', () => useData(() => loadServed(onProgress)));
$<HTMLInputElement>('pick-data').addEventListener('change', (e) => {
  const files = [...((e.target as HTMLInputElement).files ?? [])];
  if (files.length) void useData(() => loadPicked(files, onProgress));
});

// ---- training
const batchLoss: [number, number][] = [];
const batchAcc: [number, number][] = [];
const valLoss: [number, number][] = [];
const valAcc: [number, number][] = [];
let chartsDirty = false;

function drawCharts(): void {
  const loss: Series[] = [
    { name: 'train', color: '#2563eb', points: batchLoss },
    { name: 'validation', color: '#ea580c', points: valLoss, dots: true },
  ];
  const acc: Series[] = [
    { name: 'train', color: '#2563eb', points: batchAcc },
    { name: 'validation', color: '#ea580c', points: valAcc, dots: true },
  ];
  renderLineChart($('loss-chart'), loss, { xLabel: 'epochs' });
  renderLineChart($('accuracy-chart'), acc, { xLabel: 'epochs', yMax: 1 });
  chartsDirty = false;
}
// Charts redraw at most once per frame, however fast batches arrive.
function scheduleCharts(): void {
  if (chartsDirty) return;
  chartsDirty = true;
  requestAnimationFrame(drawCharts);
}

function readSettings(): TrainSettings {
  const form = new FormData($<HTMLFormElement>('train-form'));
  const num = (name: string, min: number, max: number) => {
    const v = Number(form.get(name));
    if (!Number.isFinite(v) || v < min || v > max) throw new Error(`${name}: expected a number from ${min} to ${max}, got ${form.get(name)}`);
    return v;
  };
  return {
    model: form.get('model') as ModelName,
    subset: Math.round(num('subset', 500, 60_000)),
    epochs: Math.round(num('epochs', 1, 100)),
    batchSize: num('batchSize', 1, 4096),
    optimizer: form.get('optimizer') as OptimizerName,
    lr: num('lr', 1e-6, 10),
    flip: form.get('flip') === 'on',
    crop: form.get('crop') === 'on',
    seed: 0,
  };
}

function showResults(evaluation: Evaluation, test: ImageDataset): void {
  $('test-accuracy').textContent = `Test accuracy ${(evaluation.accuracy * 100).toFixed(2)}% (top-3 ${((evaluation.topK[3] ?? 0) * 100).toFixed(2)}%)`;
  renderConfusion($('confusion'), evaluation.confusionMatrix, FASHION_MNIST_CLASSES);
  const wrong: GridItem[] = [];
  for (let i = 0; i < evaluation.predictions.length && wrong.length < 30; i++) {
    const truth = evaluation.labels[i];
    const guess = evaluation.predictions[i];
    if (truth !== guess)
      wrong.push({
        pixels: test.images.subarray(i * 784, (i + 1) * 784),
        caption: `${FASHION_MNIST_CLASSES[truth]}\n→ ${FASHION_MNIST_CLASSES[guess]}`,
        color: '#b91c1c',
      });
  }
  drawGrid($<HTMLCanvasElement>('mistakes'), wrong, { columns: 6, scale: 3 });
}

$('train').addEventListener('click', () =>
  guarded('train-status', async () => {
    if (!state.data || state.training) return;
    await backendReady;
    const settings = readSettings();
    state.training = true;
    state.stop = false;
    $<HTMLButtonElement>('train').disabled = true;
    $<HTMLButtonElement>('stop').disabled = false;
    document.body.dataset.training = 'running';
    for (const series of [batchLoss, batchAcc, valLoss, valAcc]) series.length = 0;
    let speed = 0;
    let smoothLoss = Number.NaN;
    let smoothAcc = Number.NaN;
    try {
      state.page?.model.dispose();
      state.page = undefined;
      const result = await trainInPage(state.data, settings, {
        onBatch(step, logs, progress) {
          // Exponential moving averages, as TensorBoard smooths per-batch curves.
          smoothLoss = Number.isNaN(smoothLoss) ? logs.loss : 0.9 * smoothLoss + 0.1 * logs.loss;
          smoothAcc = Number.isNaN(smoothAcc) ? logs.accuracy : 0.9 * smoothAcc + 0.1 * logs.accuracy;
          const x = progress * settings.epochs;
          batchLoss.push([x, smoothLoss]);
          batchAcc.push([x, smoothAcc]);
          speed = logs.imagesPerSecond ?? speed;
          const el = $('train-status');
          el.textContent = `step ${step}, ${(progress * 100).toFixed(0)}%: loss ${smoothLoss.toFixed(3)}, accuracy ${(smoothAcc * 100).toFixed(1)}%, ${Math.round(speed)} images/s`;
          el.dataset.imagesPerSecond = String(speed);
          scheduleCharts();
        },
        onEpoch(epoch, logs) {
          valLoss.push([epoch + 1, logs.val_loss]);
          valAcc.push([epoch + 1, logs.val_accuracy]);
          scheduleCharts();
        },
        shouldStop: () => state.stop,
      });
      state.page = { name: `${settings.model} trained here`, model: result.model, spec: result.spec, testAccuracy: result.evaluation.accuracy };
      drawCharts();
      showResults(result.evaluation, state.data.test);
      const last = result.history.epochs.at(-1);
      setStatus(
        'train-status',
        `${result.history.stopReason === 'callback' ? 'stopped' : 'done'} after ${result.history.epochs.length} epoch(s), ${result.history.seconds.toFixed(1)} s, ${Math.round(speed)} images/s; validation ${((last?.val_accuracy ?? 0) * 100).toFixed(2)}%, test ${(result.evaluation.accuracy * 100).toFixed(2)}%`,
        'ok',
      );
      $('train-status').dataset.imagesPerSecond = String(speed);
      document.body.dataset.training = 'done';
      renderComparison();
      predictDrawing();
    } finally {
      state.training = false;
      $<HTMLButtonElement>('train').disabled = false;
      $<HTMLButtonElement>('stop').disabled = true;
      if (document.body.dataset.training === 'running') document.body.dataset.training = 'failed';
    }
  }),
);
$('stop').addEventListener('click', () => {
  state.stop = true;
  setStatus('train-status', 'stopping after this batch…');
});

// ---- drawing and prediction
function predictDrawing(): void {
  const host = $('predictions');
  if (!state.pixels) return;
  const models = [state.page, state.node].filter((m): m is LoadedModel => m !== undefined);
  if (!models.length) {
    host.textContent = 'Train a model (or load one) to see its guesses.';
    return;
  }
  host.replaceChildren(
    ...models.map((m) => {
      const block = document.createElement('div');
      block.className = 'prediction';
      const title = document.createElement('h3');
      title.textContent = m.name;
      const list = document.createElement('ol');
      for (const { label, probability } of topK(m.model, m.spec, state.pixels as Float32Array)) {
        const item = document.createElement('li');
        item.innerHTML = `<span>${label}</span><meter min="0" max="1" value="${probability}"></meter><span>${(probability * 100).toFixed(1)}%</span>`;
        list.append(item);
      }
      block.append(title, list);
      return block;
    }),
  );
  document.body.dataset.predicted = String(Number(document.body.dataset.predicted ?? 0) + 1);
}
const pad = new DrawPad($<HTMLCanvasElement>('pad'), (pixels) => {
  state.pixels = pixels;
  predictDrawing();
});
$('clear').addEventListener('click', () => {
  pad.clear();
  state.pixels = undefined;
  $('predictions').textContent = '';
});
async function useImage(file: Blob): Promise<void> {
  await guarded('predictions', async () => {
    state.pixels = await imageToPixels(file);
    pad.show(state.pixels);
    predictDrawing();
  });
}
$<HTMLInputElement>('pick-image').addEventListener('change', (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) void useImage(file);
});
pad.canvas.addEventListener('dragover', (e) => e.preventDefault());
pad.canvas.addEventListener('drop', (e) => {
  e.preventDefault();
  const file = e.dataTransfer?.files[0];
  if (file) void useImage(file);
});

// ---- a model trained in Node
function renderComparison(): void {
  const rows = [state.page, state.node].filter((m): m is LoadedModel => m !== undefined);
  $('compare').innerHTML = rows.length
    ? `<table><thead><tr><th>model</th><th>params</th><th>test accuracy</th></tr></thead><tbody>${rows
        .map(
          (m) =>
            `<tr><td>${m.name}</td><td>${m.model.countParams().toLocaleString()}</td><td>${m.testAccuracy === undefined ? 'load the data' : `${(m.testAccuracy * 100).toFixed(2)}%`}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
}
async function scoreNodeModel(): Promise<void> {
  if (!state.node || !state.data) return;
  state.node.testAccuracy = (await evaluateOnTest(state.node.model, state.node.spec, state.data.test)).accuracy;
  renderComparison();
  document.body.dataset.nodeModel = 'scored';
}
async function useNodeModel(source: string | File[]): Promise<void> {
  await guarded('compare', async () => {
    await backendReady;
    const { model, metadata } = await loadModel(source);
    state.node?.model.dispose();
    state.node = { name: `${metadata?.model ?? 'model'} trained in Node`, model, spec: modelInput(model, metadata) };
    document.body.dataset.nodeModel = 'loaded';
    renderComparison();
    await scoreNodeModel();
    predictDrawing();
  });
}
$('load-model-url').addEventListener('click', () => useNodeModel(new URL($<HTMLInputElement>('model-url').value, location.href).href));
$<HTMLInputElement>('pick-model').addEventListener('change', (e) => {
  const files = [...((e.target as HTMLInputElement).files ?? [])];
  if (files.length) void useNodeModel(files);
});

drawCharts();
// Offline after the first visit: the service worker keeps the app, the wasm binaries and the data.
// Not under the dev server (import.meta.hot), where a cache would hide edits.
if (!import.meta.hot && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch((error: Error) => console.warn(`offline cache unavailable: ${error.message}`));
}
// For the curious, in the console.
Object.assign(globalThis, { tf, fmnist: state });
