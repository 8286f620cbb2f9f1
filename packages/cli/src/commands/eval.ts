import { loadFashionMnist } from '@fmnist/data';
import { loadModel } from '@fmnist/models';
import { evaluate } from '@fmnist/trainer';
import { BACKEND_OPTION, backendFromFlags } from '../backend-flags';
import { DATA_OPTIONS } from '../data-flags';
import { TTA_OPTION, ttaViews } from '../tta-flag';
import { evalProgress } from '../progress';
import type { Command } from '../command';
import { formatTable } from '@fmnist/core';
import { evalClassNames } from '../model-classes';
import { str } from '../options';
import { UsageError } from '../usage-error';

export const evalCommand: Command = {
  path: ['eval'],
  summary: 'Evaluate a saved model on the test set: accuracy, per-class table, confusion matrix',
  options: {
    'model-dir': { type: 'string', value: 'DIR', description: 'a model saved by fmnist train --out', required: true },
    tta: TTA_OPTION,
    backend: BACKEND_OPTION,
    ...DATA_OPTIONS,
  },
  async run({ values, io, json }) {
    const dir = str(values, 'model-dir');
    if (!dir) throw new UsageError('--model-dir is required (a directory written by fmnist train --out)');
    await backendFromFlags(values);
    const { model, metadata } = await loadModel(dir);
    const test = await loadFashionMnist({ split: 'test', dir: str(values, 'dir'), verify: values['no-verify'] !== true });
    // The model's class names (checked against its outputs and the test labels) name the rows.
    const classNames = evalClassNames(dir, model, metadata, test.classNames);
    // Prepared as the model wants its inputs (its saved convention: layout, size, normalisation),
    // exactly as evaluate(model, dataset) prepares them in a program.
    const result = await evaluate(model, { ...test, classNames }, { batchSize: 500, onBatchEnd: evalProgress(io, 'test set'), tta: ttaViews(values) });
    if (json) {
      io.stdout(
        JSON.stringify({
          testAccuracy: result.accuracy,
          testLoss: result.loss,
          topK: result.topK,
          perClass: result.perClass,
          confusionMatrix: result.confusionMatrix,
        }),
      );
      return;
    }
    io.stdout(`test accuracy ${(result.accuracy * 100).toFixed(2)}%, loss ${result.loss.toFixed(4)}, top-3 ${((result.topK[3] ?? 0) * 100).toFixed(2)}%`);
    io.stdout(
      formatTable(
        ['class', 'precision', 'recall', 'f1', 'support'],
        result.perClass.map((c) => [c.class, c.precision.toFixed(3), c.recall.toFixed(3), c.f1.toFixed(3), c.support]),
      ),
    );
    io.stdout('\nconfusion matrix (rows: true, columns: predicted)');
    io.stdout(
      formatTable(
        ['', ...classNames.map((_, i) => String(i))],
        result.confusionMatrix.map((row, i) => [`${i} ${classNames[i]}`, ...row]),
      ),
    );
  },
};
