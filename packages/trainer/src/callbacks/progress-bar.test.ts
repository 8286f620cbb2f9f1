import { DataLoader } from '@fmnist/data';
import { mlp } from '@fmnist/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { fit } from '../fit';
import { toyDataset, useCpu } from '../test-utils/toy-data';
import { Callback, type Logs } from './callback';
import { ProgressBar } from './progress-bar';

beforeAll(useCpu);

/** Makes every batch take a few ms, so interval-based lines are due. */
class Slow extends Callback {
  onBatchEnd(): void {
    const until = performance.now() + 3;
    while (performance.now() < until);
  }
}

async function lines(options: ConstructorParameters<typeof ProgressBar>[0]): Promise<string[]> {
  const out: string[] = [];
  const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 1 });
  await fit(model, new DataLoader(toyDataset(96), { batchSize: 16, seed: 1 }), {
    epochs: 2,
    callbacks: [new Slow(), new ProgressBar({ ...options, write: (t) => out.push(t) })],
  });
  model.dispose();
  return out;
}

describe('ProgressBar', () => {
  it('plain mode: a line within the epoch at most every `interval` ms, never for its last batch, then the epoch line', async () => {
    const out = await lines({ live: false, interval: 1 });
    const epoch1 = out.filter((l) => l.startsWith('Epoch 1/2'));
    expect(epoch1.slice(0, -1)).toEqual([1, 2, 3, 4, 5].map((k) => expect.stringMatching(new RegExp(`^Epoch 1/2 ${k}/6 ETA \\d+s · loss \\d\\.\\d{4}`))));
    expect(epoch1.at(-1)).toMatch(/^Epoch 1\/2 \d+\.\ds · loss/);
    expect(out.every((l) => !l.includes('\r'))).toBe(true);
  });

  it('plain mode with interval 0: epoch lines only', async () => {
    const out = await lines({ live: false, interval: 0 });
    expect(out).toHaveLength(2);
  });

  it('live mode: carriage-return frames with a bar, the epoch line clears them', async () => {
    const out = await lines({ live: true });
    expect(out.some((l) => /^\rEpoch 1\/2 \[[=.]{24}\] \d\/6 ETA/.test(l))).toBe(true);
    expect(out.filter((l) => l.endsWith('\u001b[K\n'))).toHaveLength(2);
  });

  it("shows the epoch's running means so far (Keras' Progbar), weighted by batch size, not the current batch's values", async () => {
    // 100 images in batches of 16: six of 16 and a last one of 4, so an unweighted mean would differ.
    const batches: Logs[][] = [[], []];
    let epoch = 0;
    const record = new (class extends Callback {
      onEpochBegin(e: number): void {
        epoch = e;
      }
      onBatchEnd(_batch: number, logs: Logs): void {
        batches[epoch].push({ ...logs });
      }
    })();
    const run = async (options: ConstructorParameters<typeof ProgressBar>[0]) => {
      const out: string[] = [];
      batches[0] = [];
      batches[1] = [];
      const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 1 });
      const history = await fit(model, new DataLoader(toyDataset(100), { batchSize: 16, seed: 1 }), {
        epochs: 2,
        callbacks: [new Slow(), record, new ProgressBar({ ...options, write: (t) => out.push(t) })],
      });
      model.dispose();
      return { out, history };
    };
    const shown = (line: string, key: string) => (line.match(new RegExp(`· ${key} (\\S+)`)) as RegExpMatchArray)[1];
    const format = (v: number) => (v < 0.01 && v > 0 ? v.toExponential(2) : v.toFixed(4));
    const runningMean = (logs: Logs[], key: string) => logs.reduce((a, l) => a + l[key] * l.size, 0) / logs.reduce((a, l) => a + l.size, 0);

    const plain = await run({ live: false, interval: 1 });
    const lines = plain.out.filter((l) => l.startsWith('Epoch 1/2 ') && / \d\/7 ETA/.test(l));
    expect(lines).toHaveLength(6);
    let differs = false;
    lines.forEach((line, k) => {
      const seen = batches[0].slice(0, k + 1);
      for (const key of ['loss', 'accuracy']) {
        expect(shown(line, key), `batch ${k + 1} ${key}`).toBe(format(runningMean(seen, key)));
        differs ||= shown(line, key) !== format(seen[k][key]);
      }
    });
    expect(differs).toBe(true);

    // The last frame of each epoch shows what the epoch line shows: the epoch's own values.
    const live = await run({ live: true });
    for (const [e, logs] of live.history.epochs.entries()) {
      const last = live.out.filter((l) => l.startsWith(`\rEpoch ${e + 1}/2 [`)).at(-1) as string;
      expect(last).toMatch(/ 7\/7 ETA/);
      expect(shown(last, 'loss')).toBe(format(logs.loss));
      expect(shown(last, 'accuracy')).toBe(format(logs.accuracy));
      expect(shown(last, 'loss')).toBe(format(runningMean(batches[e], 'loss')));
    }
  }, 60_000);
});
