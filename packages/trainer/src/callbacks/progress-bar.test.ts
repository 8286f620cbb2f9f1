import { DataLoader } from '@fmnist/data';
import { mlp } from '@fmnist/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { fit } from '../fit';
import { toyDataset, useCpu } from '../test-utils/toy-data';
import { Callback } from './callback';
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
});
