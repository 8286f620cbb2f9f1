// Stage 4: hyperparameter tuning of a dynamic MLP (layers, width, dropout, batch norm, optimizer,
// lr, batch size, weight decay, epochs) with our Optuna-like tuner: TPE, median pruning, two
// worker processes sharing one journal file. Then the best configuration is retrained on all data.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@fmnist/backend';
import { runCli } from '@fmnist/cli';
import { DataLoader, loadFashionMnist, trainValSplit } from '@fmnist/data';
import { dynamicMlp } from '@fmnist/models';
import { CosineAnnealingLR, EarlyStopping, evaluate, fit, type OptimizerName, ProgressBar, runReport, type Callback } from '@fmnist/trainer';
import { loadStudy, plotData } from '@fmnist/tuner';

export interface StageOptions {
  quick?: boolean;
  log?: (line: string) => void;
  /** Where the study journal goes. Default reports/journey. */
  outDir?: string;
  /** Continue the study in the journal a stopped run left (else a leftover journal is removed first). Default false. */
  resume?: boolean;
  /** Extra callbacks for each of this stage's fits, by fit name (the journey's epoch backups). */
  fitCallbacks?: (fit: string) => Callback[];
  /** Progress as a live line on stderr (a terminal); default plain lines through `log` every 30 s. */
  live?: boolean;
}

export async function run(options: StageOptions = {}) {
  const log = options.log ?? console.log;
  const outDir = options.outDir ?? join(process.cwd(), 'reports', 'journey');
  mkdirSync(outDir, { recursive: true });
  // One name per configuration, so a resumed journey finds its study again.
  const journal = join(outDir, `stage4-study${options.quick ? '-quick' : ''}.log`);
  if (!options.resume) rmSync(journal, { force: true });
  // 30 trials: with 14, one run's winner (plain SGD, found among mostly random startup trials)
  // retrained to 89.06%, under the target; the MLP kernels made a trial cheap enough for more.
  const trials = options.quick ? 4 : 30;
  log(`stage 4: tuning dynamic-mlp, ${trials} trials, 2 worker processes, TPE + median pruning, journal ${journal}`);
  const started = performance.now();
  // The same study `fmnist tune` runs, through the CLI's public API.
  let summaryLine = '';
  const code = await runCli(
    [
      'tune',
      '--trials',
      String(trials),
      '--jobs',
      '2',
      '--storage',
      `journal:${journal}`,
      '--study',
      'stage4',
      '--subset',
      options.quick ? '3000' : '20000',
      '--max-epochs',
      options.quick ? '2' : '6',
      '--no-test',
      '--json',
    ],
    { stdout: (l) => (summaryLine = l), stderr: (l) => log(`  ${l}`), isTTY: false },
  );
  if (code !== 0) throw new Error(`fmnist tune exited with ${code}`);
  const summary = JSON.parse(summaryLine) as {
    bestParams: Record<string, number | string | boolean>;
    bestValue: number;
    epochsRun: number;
    states: Record<string, number>;
  };
  const study = await loadStudy({ studyName: 'stage4', storage: `journal:${journal}` });
  const p = summary.bestParams;
  log(`  best trial (validation on a 20,000-image subset): ${(summary.bestValue * 100).toFixed(2)}% with ${JSON.stringify(p)}`);

  // Retrain the winner on all 54,000 training images, longer, with a cosine schedule.
  await initBackend();
  const { train, val } = trainValSplit(await loadFashionMnist({ split: 'train' }), { valFraction: 0.1, seed: 0 });
  const test = await loadFashionMnist({ split: 'test' });
  const model = dynamicMlp({ nLayers: Number(p.n_layers), width: Number(p.width), dropout: Number(p.dropout), batchNorm: p.batch_norm === true, seed: 0 });
  const epochs = options.quick ? 1 : 20;
  const history = await fit(model, new DataLoader(train, { batchSize: Number(p.batch_size), seed: 0 }), {
    epochs,
    seed: 0,
    optimizer: { name: p.optimizer as OptimizerName, lr: Number(p.lr), weightDecay: Number(p.weight_decay), momentum: p.optimizer === 'sgd' ? 0.9 : 0 },
    validation: new DataLoader(val, { batchSize: 1000, shuffle: false }),
    callbacks: [
      new CosineAnnealingLR({ tMax: epochs }),
      new EarlyStopping({ monitor: 'val_accuracy', patience: 5, restoreBestWeights: true }),
      new ProgressBar(options.live ? {} : { write: (t) => log(t.trimEnd()), live: false }),
      ...(options.fitCallbacks?.('main') ?? []),
    ],
  });
  const report = runReport(model, history, await evaluate(model, new DataLoader(test, { batchSize: 1000, shuffle: false })), { name: 'dynamic-mlp' });
  log(`  retrained best configuration: test accuracy ${(report.testAccuracy * 100).toFixed(2)}%`);
  return {
    stage: 4,
    app: 'tuned dynamic MLP (TPE, pruning, 2 jobs, journal storage)',
    ...report,
    seconds: (performance.now() - started) / 1000,
    referenceAccuracy: 0.8921,
    target: 0.895,
    met: report.testAccuracy >= 0.895,
    tuning: {
      journal,
      trials: study.trials.length,
      states: summary.states,
      bestParams: p,
      bestValue: summary.bestValue,
      epochsRun: summary.epochsRun,
      plot: plotData(study.trials, 'maximize'),
    },
  };
}
