import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataLoader } from '@fmnist/data';
import { freeze, mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Callback } from '../callbacks/callback';
import { ModelCheckpoint } from '../callbacks/model-checkpoint';
import { readCheckpoint } from '../checkpoint';
import { fit } from '../fit';
import { toyDataset, useCpu } from '../test-utils/toy-data';
import { Adam } from './adam';

beforeAll(useCpu);
const dir = mkdtempSync(join(tmpdir(), 'fmnist-opt-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Saves the full training state after every epoch. */
class SaveEachEpoch extends Callback {
  readonly observesOnly = true; // a fault injector, not part of the run
  async onEpochEnd(): Promise<void> {
    await this.trainer.saveCheckpoint(dir);
  }
}

describe('resuming a fit (defect 8, optimizer half)', () => {
  it('leaks no optimizer slots: the tensor count is flat across repeated resumes', async () => {
    const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed: 1 });
    const loader = new DataLoader(toyDataset(64), { batchSize: 16, seed: 2 });
    // One optimizer instance across the fits (fit disposes only optimizers it created itself).
    const optimizer = new Adam({ lr: 0.01 });
    await fit(model, loader, { epochs: 1, seed: 3, optimizer, callbacks: [new SaveEachEpoch()] });
    // The checkpoint carries each variable's own step count (4 batches).
    const saved = readCheckpoint(dir);
    expect(saved.optimizer.steps).toEqual({ 0: 4, 1: 4, 2: 4, 3: 4 });
    tf.dispose([...saved.variables.map((v) => v.values), ...saved.callbackTensors.flat()]);
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) {
      await fit(model, loader, { epochs: 1, seed: 3, optimizer, resumeFrom: dir });
      counts.push(tf.memory().numTensors);
    }
    // 4 variables (2 Dense kernels and biases), 2 Adam slots each, created once.
    expect(counts).toEqual(counts.map(() => counts[0]));
    optimizer.dispose();
  });
});

/** Unfreezes every layer from epoch 2 on (a frozen-then-unfrozen base; a resumed run past it unfreezes too, as Lightning's BaseFinetuning does). */
class UnfreezeAt2 extends Callback {
  onEpochBegin(epoch: number): void {
    if (epoch < 2) return;
    for (const layer of this.trainer.model.layersModel?.layers ?? []) layer.trainable = true;
  }
}

/** A crash at the start of epoch 4, after epoch 3's checkpoint. */
class CrashAt4 extends Callback {
  readonly observesOnly = true; // a fault injector, not part of the run
  onEpochBegin(epoch: number): void {
    if (epoch === 4) throw new Error('crash');
  }
}

describe('a variable unfrozen during a fit', () => {
  it('keeps its optimizer state in checkpoints: a resumed run ends as the uninterrupted one', async () => {
    const run = async (crash: boolean, resume: boolean, seed = 1) => {
      const model = mlp({ inputs: 64, hidden: [8], outputs: 4, seed });
      freeze(model, { upTo: 0 });
      const loader = new DataLoader(toyDataset(64), { batchSize: 16, seed: 2 });
      const ckpt = join(dir, 'unfrozen');
      const callbacks = [new UnfreezeAt2(), new ModelCheckpoint({ dir: ckpt }), ...(crash ? [new CrashAt4()] : [])];
      const history = await fit(model, loader, { epochs: 6, seed: 3, optimizer: { name: 'adam', lr: 0.01 }, callbacks, resumeFrom: resume ? ckpt : undefined });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return { losses: history.epochs.map((e) => e.loss), weights };
    };
    const straight = await run(false, false);
    await expect(run(true, false)).rejects.toThrow('crash');
    const resumed = await run(false, true, 7);
    expect(resumed.losses).toEqual(straight.losses);
    expect(resumed.weights).toEqual(straight.weights);
  });
});
