import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FASHION_MNIST_FILES, loadFashionMnist } from '@fmnist/data';
import { loadStudy } from '@fmnist/tuner';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticSplit } from '../../data/src/test-utils/synthetic-fashion';
import { cli, tmp } from './test-utils/run-cli';
import { onnxAccuracy } from './test-utils/onnx-accuracy';

const here = dirname(fileURLToPath(import.meta.url));
/** Bad input: exit 2, one line on stderr that matches, no stack trace. */
async function expectInputError(argv: string[], message: RegExp): Promise<void> {
  const r = await cli(...argv);
  expect(r.code, `${argv.join(' ')}: ${r.err.join(' | ')}`).toBe(2);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toMatch(message);
  expect(r.err[0]).not.toMatch(/\n|\s{2,}at\s/);
}

// Small data the tests write: 300 training and 100 test images of the official names.
let data: string;
beforeAll(() => {
  data = tmp('data');
  writeSyntheticSplit(data, 'train', 300);
  writeSyntheticSplit(data, 'test', 100);
});
const small = () => ['--dir', data, '--no-verify', '--backend', 'cpu'];

describe('fmnist: words, help and bad input', () => {
  it('prints help with exit 0 and refuses an unknown command with exit 2', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out.join('\n')).toMatch(/^\s+train\s/m);
    expect((await cli('train', '--help')).out.join('\n')).toMatch(/--epochs/);
    await expectInputError(['frobnicate'], /unknown command 'frobnicate'/);
    await expectInputError(['train', '--bogus'], /unknown option '--bogus'/);
  });

  it('reads option values as values, not as command words', async () => {
    const r = await cli('data', '--dir', data, 'info', '--no-verify', '--json');
    expect(r.code, r.err.join(' ')).toBe(0);
    expect((r.json().splits as { count: number }[]).map((s) => s.count)).toEqual([300, 100]);
    // A value that happens to be a command word.
    const odd = tmp('info');
    writeSyntheticSplit(odd, 'train', 20);
    writeSyntheticSplit(odd, 'test', 10);
    expect((await cli('data', 'info', '--dir', odd, '--no-verify', '--json')).code).toBe(0);
  });

  it('checks flags that need a validation split before training', async () => {
    await expectInputError(
      ['train', '--model', 'mlp-small', '--val', '0', '--schedule', 'plateau', ...small()],
      /--schedule plateau watches val_loss: it needs a validation split/,
    );
    await expectInputError(
      ['train', '--model', 'mlp-small', '--val', '0', '--patience', '2', ...small()],
      /--patience stops on val_loss: it needs a validation split/,
    );
  });

  it('accepts only decimal integers for integer flags', async () => {
    for (const bad of ['', '0x10', '1e3', '2.5', 'ten'])
      await expectInputError(['train', '--model', 'mlp-small', '--epochs', bad], /--epochs: expected an integer from 1 to 10000/);
  });

  it('treats a data directory it is given as the only place (exit 2 naming it), never the system copy', async () => {
    const empty = tmp('empty');
    await expectInputError(['data', 'info', '--dir', empty], new RegExp(`not in ${empty}`));
  });
});

describe('fmnist data', () => {
  it('inspect: type, shape and range of an IDX file', async () => {
    const r = await cli('data', 'inspect', join(data, `${FASHION_MNIST_FILES.test.labels}.gz`), '--json');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ gzip: true, dtype: 'uint8', shape: [100], count: 100, min: 0, max: 9 });
    await expectInputError(['data', 'inspect', join(data, 'missing.gz')], /missing\.gz: cannot read/);
  });

  it('preview: a PNG grid', async () => {
    const out = join(tmp('preview'), 'grid.png');
    const r = await cli('data', 'preview', '--dir', data, '--no-verify', '--count', '8', '--out', out);
    expect(r.code, r.err.join(' ')).toBe(0);
    expect(readFileSync(out).subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('fmnist train, eval, predict', () => {
  let out: string;
  let trained: Record<string, unknown>;
  beforeAll(async () => {
    out = tmp('model');
    const r = await cli('train', '--model', 'mlp-small', '--epochs', '2', '--batch', '32', ...small(), '--out', out, '--json');
    expect(r.code, r.err.join(' ')).toBe(0);
    trained = r.json();
  }, 60_000);

  it('train --json: the fields scripts read', () => {
    expect(trained).toMatchObject({ model: 'mlp-small', epochs: 2, backend: 'cpu', stopReason: 'completed', params: 109386 });
    expect(trained.confusionMatrix).toHaveLength(10);
    for (const k of ['testAccuracy', 'testLoss', 'trainAccuracy', 'valAccuracy', 'seconds']) expect(typeof trained[k], k).toBe('number');
    expect(trained.history).toHaveLength(2);
    expect(existsSync(join(out, 'model.json'))).toBe(true);
  });

  it("--resume continues the checkpointed run: its first epochs are the first run's", async () => {
    const r = await cli('train', '--model', 'mlp-small', '--epochs', '3', '--batch', '32', ...small(), '--out', out, '--resume', '--json');
    expect(r.code, r.err.join(' ')).toBe(0);
    const history = r.json().history as { loss: number }[];
    expect(history).toHaveLength(3);
    expect(history.slice(0, 2).map((e) => e.loss)).toEqual((trained.history as { loss: number }[]).map((e) => e.loss));
    await expectInputError(
      ['train', '--model', 'mlp-small', '--epochs', '3', ...small(), '--checkpoint-dir', tmp('none'), '--resume', '--json'],
      /--resume: no checkpoint in/,
    );
    // Another seed is another run: refused, naming the field (exit 2).
    await expectInputError(
      ['train', '--model', 'mlp-small', '--epochs', '4', '--batch', '32', '--seed', '9', ...small(), '--out', out, '--resume', '--json'],
      /belongs to another run: recipe data\.seed was 0, this run has 9/,
    );
  }, 60_000);

  it('--print-recipe writes the run as JSON; --recipe runs it to the same figures; flags beside it override its fields', async () => {
    const flags = [
      '--model',
      'mlp',
      '--hidden',
      '32',
      '--epochs',
      '2',
      '--batch',
      '32',
      '--augment',
      'flip,crop',
      '--schedule',
      'onecycle',
      '--normalize',
      'standard',
      '--seed',
      '4',
    ];
    const printed = await cli('train', ...flags, ...small(), '--print-recipe');
    expect(printed.code, printed.err.join(' ')).toBe(0);
    const recipe = JSON.parse(printed.out.join('\n'));
    expect(recipe).toMatchObject({
      version: 1,
      model: { name: 'mlp', options: { hidden: [32] } },
      data: {
        batchSize: 32,
        normalize: 'standard',
        augment: [
          { name: 'RandomHorizontalFlip', p: 0.5 },
          { name: 'RandomCrop', size: 28, padding: 2 },
        ],
      },
      fit: { epochs: 2, seed: 4, optimizer: { name: 'adam', lr: 0.001 }, schedule: { name: 'OneCycleLR', maxLr: 0.004, cycleMomentum: true } },
    });
    const file = join(tmp('recipe'), 'r.json');
    writeFileSync(file, printed.out.join('\n'));
    const [byFlags, byFile] = [await cli('train', ...flags, ...small(), '--json'), await cli('train', '--recipe', file, ...small(), '--json')];
    expect(byFlags.code, byFlags.err.join(' ')).toBe(0);
    expect(byFile.code, byFile.err.join(' ')).toBe(0);
    expect(byFile.json().testAccuracy).toBe(byFlags.json().testAccuracy);
    expect(byFile.json().recipeHash).toBe(byFlags.json().recipeHash);
    // A flag beside --recipe overrides its field, and only that one.
    const seeded = await cli('train', '--recipe', file, '--seed', '5', ...small(), '--print-recipe');
    expect(JSON.parse(seeded.out.join('\n'))).toEqual({ ...recipe, data: { ...recipe.data, seed: 5 }, fit: { ...recipe.fit, seed: 5 } });
    // The file's optimizer is kept as written: no CLI default (SGD momentum 0.9) slips in.
    const sgdFile = join(tmp('recipe'), 'sgd.json');
    writeFileSync(sgdFile, JSON.stringify({ version: 1, model: { name: 'mlp-small' }, fit: { epochs: 1, optimizer: { name: 'sgd', lr: 0.1 } } }));
    const sgd = await cli('train', '--recipe', sgdFile, ...small(), '--print-recipe');
    expect(JSON.parse(sgd.out.join('\n')).fit.optimizer).toEqual({
      name: 'sgd',
      lr: 0.1,
      momentum: 0,
      dampening: 0,
      nesterov: false,
      weightDecay: 0,
      maximize: false,
    });
    // A bad field is one line naming its path.
    writeFileSync(file, JSON.stringify({ ...recipe, fit: { ...recipe.fit, optimizer: { name: 'adam', lr: -1 } } }));
    await expectInputError(['train', '--recipe', file, ...small()], /--recipe .*r\.json: recipe fit\.optimizer\.lr: /);
    await expectInputError(['train', '--recipe', join(tmp('none'), 'missing.json'), ...small()], /--recipe: cannot read .*missing\.json \(ENOENT\)/);
  }, 60_000);

  it('--resume with other augmentation or another schedule is refused, naming the field', async () => {
    const dir = tmp('augmented');
    const first = await cli(
      'train',
      '--model',
      'mlp-small',
      '--epochs',
      '1',
      '--batch',
      '64',
      ...small(),
      '--augment',
      'flip',
      '--checkpoint-dir',
      dir,
      '--json',
    );
    expect(first.code, first.err.join(' ')).toBe(0);
    const again = (...flags: string[]) => [
      'train',
      '--model',
      'mlp-small',
      '--epochs',
      '1',
      '--batch',
      '64',
      ...small(),
      '--checkpoint-dir',
      dir,
      '--resume',
      '--json',
      ...flags,
    ];
    await expectInputError(
      again('--augment', 'erase,rotate', '--schedule', 'cosine'),
      /belongs to another run: recipe data\.augment\[0\]\.name was "RandomHorizontalFlip", this run has "RandomRotation"/,
    );
    await expectInputError(
      again('--augment', 'flip', '--schedule', 'cosine'),
      /belongs to another run: recipe fit\.schedule was absent, this run has \{"name":"CosineAnnealingLR","etaMin":0,"interval":"epoch"\}/,
    );
  }, 60_000);

  it('eval scores the saved model as train did', async () => {
    const fresh = tmp('model2');
    const t = await cli('train', '--model', 'mlp-small', '--epochs', '1', ...small(), '--out', fresh, '--json');
    const r = await cli('eval', '--model-dir', fresh, ...small(), '--json');
    expect(r.code, r.err.join(' ')).toBe(0);
    expect(r.json().testAccuracy).toBe(t.json().testAccuracy);
    expect(r.json().confusionMatrix).toHaveLength(10);
    await expectInputError(['eval'], /--model-dir is required/);
  }, 60_000);

  it('--ema and --tta hflip run, and train --tta scores as eval --tta does', async () => {
    const fresh = tmp('model-ema');
    const t = await cli('train', '--model', 'mlp-small', '--epochs', '1', ...small(), '--ema', '0.99', '--tta', 'hflip', '--out', fresh, '--json');
    expect(t.code, t.err.join(' ')).toBe(0);
    const plain = await cli('eval', '--model-dir', fresh, ...small(), '--json');
    const tta = await cli('eval', '--model-dir', fresh, ...small(), '--tta', 'hflip', '--json');
    expect(tta.json().testAccuracy).toBe(t.json().testAccuracy);
    // The synthetic images are uniform, so their mirror images score the same (evaluate.test.ts
    // checks the averaging on images that change).
    expect(tta.json().testLoss).toBeCloseTo(plain.json().testLoss as number, 5);
    await expectInputError(['eval', '--model-dir', fresh, '--tta', 'vflip'], /--tta/);
    await expectInputError(['train', '--model', 'mlp-small', '--ema', '2', ...small()], /--ema: expected a number from 0.5 to 0.99999/);
    // Refused before training, not after it.
    await expectInputError(['train', '--model', 'mlp-small', '--tta', 'vflip', ...small()], /--tta/);
  }, 60_000);

  it('predict: top-k per image of an IDX file', async () => {
    const r = await cli(
      'predict',
      '--model-dir',
      out,
      join(data, `${FASHION_MNIST_FILES.test.images}.gz`),
      '--limit',
      '4',
      '--top',
      '2',
      '--backend',
      'cpu',
      '--json',
    );
    expect(r.code, r.err.join(' ')).toBe(0);
    const predictions = r.json().predictions as { top: { class: string; probability: number }[] }[];
    expect(predictions).toHaveLength(4);
    expect(predictions[0].top).toHaveLength(2);
    await expectInputError(
      ['predict', '--model-dir', out, join(data, `${FASHION_MNIST_FILES.test.labels}.gz`), '--backend', 'cpu'],
      /expected a PNG or a uint8 IDX images file/,
    );
  });

  it('Ctrl-C: exit 130, the checkpoint named, no partial model saved as a result', async () => {
    const outDir = join(tmp('sigint'), 'model');
    const child = spawn(
      process.execPath,
      ['--conditions=@fmnist/source', '--import', 'tsx', join(here, 'bin.ts'), 'train', '--model', 'mlp-wide', '--epochs', '50', ...small(), '--out', outDir],
      { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      // After the first epoch line, interrupt.
      if (!sent && /Epoch 1\/50 /.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(sent).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toMatch(
      new RegExp(`interrupted during epoch \\d+; the training state is in ${join(outDir, 'checkpoint')}.*--resume.*nothing was saved to ${outDir}`),
    );
    expect(existsSync(join(outDir, 'model.json'))).toBe(false);
    expect(existsSync(join(outDir, 'checkpoint', 'checkpoint.json'))).toBe(true);
  }, 60_000);
});

describe('fmnist export', () => {
  it('writes an ONNX file that ONNX Runtime scores exactly as fmnist eval does, and refuses bad flags', async () => {
    const model = tmp('onnx-model');
    // wasm: the cpu backend's convolution gradients take a minute here.
    const wasm = ['--dir', data, '--no-verify', '--backend', 'wasm'];
    expect((await cli('train', '--model', 'cnn', '--epochs', '1', '--batch', '32', '--normalize', 'standard', ...wasm, '--out', model)).code).toBe(0);
    const file = join(tmp('onnx'), 'cnn.onnx');
    const r = await cli('export', '--model-dir', model, '--format', 'onnx', '--out', file, '--backend', 'cpu', '--json');
    expect(r.code, r.err.join(' ')).toBe(0);
    expect(r.json()).toMatchObject({
      out: file,
      format: 'onnx',
      opset: 13,
      input: { name: 'input', shape: [-1, 1, 28, 28], layout: 'NCHW' },
      output: { shape: [-1, 10] },
    });
    const evaluated = (await cli('eval', '--model-dir', model, ...wasm, '--json')).json();
    const test = await loadFashionMnist({ split: 'test', dir: data, verify: false });
    expect(await onnxAccuracy(file, test)).toBe(evaluated.testAccuracy);
    await expectInputError(['export', '--model-dir', model], /--out is required/);
    await expectInputError(['export', '--model-dir', model, '--out', model], /--out: .* is a directory; expected the path of the \.onnx file/);
    await expectInputError(['export', '--model-dir', model, '--out', file, '--format', 'tflite'], /--format: expected one of onnx, got "tflite"/);
    await expectInputError(['export', '--model-dir', join(model, 'nope'), '--out', file, '--backend', 'cpu'], /nope: no model.json/);
  }, 60_000);
});

describe('fmnist tune and study', () => {
  let storage: string;
  let tuned: Record<string, unknown>;
  beforeAll(async () => {
    storage = `journal:${join(tmp('study'), 'study.log')}`;
    const r = await cli('tune', '--trials', '2', '--max-epochs', '1', '--storage', storage, '--study', 's', ...small(), '--json');
    expect(r.code, r.err.join(' ')).toBe(0);
    tuned = r.json();
  }, 120_000);

  it('tune --json: the best trial, chosen on validation, and its test accuracy measured once', () => {
    expect(tuned).toMatchObject({ studyName: 's', direction: 'maximize', trials: 2, storage });
    expect(typeof tuned.bestValue).toBe('number');
    expect(typeof tuned.testAccuracy).toBe('number');
    expect(Object.keys(tuned.bestParams as object)).toEqual(expect.arrayContaining(['n_layers', 'width', 'lr', 'optimizer']));
  });

  it('keeps the test set out of the trials: no trial stores a test accuracy', async () => {
    const study = await loadStudy({ studyName: 's', storage });
    expect(study.trials.length).toBe(2);
    for (const t of study.trials) expect(Object.keys(t.userAttrs)).not.toContain('test_accuracy');
  });

  it('study list, show, best and export read the journal', async () => {
    const list = await cli('study', 'list', '--storage', storage, '--json');
    expect(list.code, list.err.join(' ')).toBe(0);
    expect(JSON.stringify(list.json())).toMatch(/"s"/);
    const best = await cli('study', 'best', '--study', 's', '--storage', storage, '--json');
    expect(best.code).toBe(0);
    expect(best.json().bestValue).toBe(tuned.bestValue);
    expect((await cli('study', 'show', '--study', 's', '--storage', storage)).code).toBe(0);
    const csv = join(tmp('export'), 'trials.csv');
    expect((await cli('study', 'export', '--study', 's', '--storage', storage, '--format', 'csv', '--out', csv)).code).toBe(0);
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toMatch(/number/);
  });

  it('a storage that is not there is an error, and no file appears', async () => {
    const typo = join(tmp('typo'), 'typo.log');
    await expectInputError(['study', 'list', '--storage', typo], /no journal file at/);
    expect(existsSync(typo)).toBe(false);
  });

  it("a trial's error stops the study as in Optuna: recorded as FAIL, then reported with its exit code; a study with no completed trial still prints its summary, exit 1", async () => {
    const failing = `journal:${join(tmp('nodata-study'), 'study.log')}`;
    const args = [
      'tune',
      '--trials',
      '1',
      '--max-epochs',
      '1',
      '--dir',
      tmp('nodata'),
      '--no-verify',
      '--backend',
      'cpu',
      '--storage',
      failing,
      '--study',
      'n',
      '--json',
    ];
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.err.at(-1)).toMatch(/^fmnist: Fashion-MNIST: the train files .* are not in/);
    expect((await loadStudy({ studyName: 'n', storage: failing })).trials.map((t) => t.state)).toEqual(['FAIL']);
    // The study holds its one trial already: nothing runs, and the summary says why there is no best trial.
    const again = await cli(...args);
    expect(again.code).toBe(1);
    expect(again.json()).toMatchObject({ trials: 1, bestTrial: null, testAccuracy: null, states: { fail: 1 } });
    expect(again.err.at(-1)).toMatch(/no trial completed/);
  }, 60_000);
});

describe('fmnist models, doctor, profile, bench', () => {
  it('models --json lists the zoo', async () => {
    const r = await cli('models', '--json');
    expect(r.code).toBe(0);
    expect(JSON.stringify(r.json())).toMatch(/mlp-small.*cnn|cnn.*mlp-small/);
  });

  it('doctor --json says which backend runs', async () => {
    const r = await cli('doctor', '--backend', 'cpu', '--json');
    expect(r.code, r.err.join(' ')).toBe(0);
    expect(JSON.stringify(r.json())).toMatch(/"cpu"/);
  });

  it('profile --trace writes a Chrome trace', async () => {
    const trace = join(tmp('trace'), 'trace.json');
    const r = await cli('profile', '--model', 'mlp-small', '--batch', '8', '--backend', 'cpu', '--trace', trace, '--json');
    expect(r.code, r.err.join(' ')).toBe(0);
    const events = JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents?: unknown[] } | unknown[];
    expect((Array.isArray(events) ? events : (events.traceEvents ?? [])).length).toBeGreaterThan(0);
  }, 60_000);

  it('bench on a tiny budget: the JSON lines scripts compare', async () => {
    const r = await cli('bench', '--model', 'mlp-small', '--mode', 'infer', '--batch', '16', '--backend', 'cpu', '--min-time', '20', '--json');
    expect(r.code, r.err.join(' ')).toBe(0);
    expect(r.out.length).toBeGreaterThan(0);
    const line = JSON.parse(r.out[0]) as Record<string, unknown>;
    expect(line).toMatchObject({ model: 'mlp-small', mode: 'infer' });
  }, 60_000);
});

describe('the journey entry', () => {
  it('answers an unknown flag with one line and exit 2, no stack trace', async () => {
    const main = join(here, '../../../examples/journey/src/main.ts');
    const child = spawn(process.execPath, ['--conditions=@fmnist/source', '--import', 'tsx', main, '--bogus'], {
      cwd: here,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/journey: Unknown option '--bogus'/);
  }, 30_000);
});
