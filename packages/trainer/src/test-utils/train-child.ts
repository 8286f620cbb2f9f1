// Child process for the resume-after-SIGKILL test: trains with a checkpoint every epoch, slowly.
import { DataLoader } from '@fmnist/data';
import { mlp } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { Callback } from '../callbacks/callback';
import { ModelCheckpoint } from '../callbacks/model-checkpoint';
import { fit } from '../fit';
import { toyDataset } from './toy-data';

class Slow extends Callback {
  readonly observesOnly = true; // a fault injector, not part of the run
  async onEpochEnd(): Promise<void> {
    await new Promise((r) => setTimeout(r, 400));
  }
}

await tf.setBackend('cpu');
const dir = process.argv[2];
const model = mlp({ inputs: 64, hidden: [16], outputs: 4, dropout: 0.2, seed: 3 });
await fit(model, new DataLoader(toyDataset(96), { batchSize: 16, seed: 5 }), {
  epochs: 6,
  seed: 5,
  optimizer: { name: 'adam', lr: 0.01 },
  callbacks: [new ModelCheckpoint({ dir }), new Slow()],
});
