import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataLoader } from '@fmnist/data';
import { mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Callback } from '../callbacks/callback';
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
