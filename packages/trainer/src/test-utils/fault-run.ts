// The run that the fault-injection test kills and resumes: early stopping with best weights, a
// plateau scheduler, the overfitting monitor and checkpoints, on the toy data (cpu backend).
import { DataLoader } from '@fmnist/data';
import { mlp } from '@fmnist/models';
import type * as tfl from '@tensorflow/tfjs-layers';
import { Callback, type Logs } from '../callbacks/callback';
import { EarlyStopping } from '../callbacks/early-stopping';
import { ModelCheckpoint } from '../callbacks/model-checkpoint';
import { OverfittingMonitor } from '../callbacks/overfitting-monitor';
import { fit, type History } from '../fit';
import { ReduceLROnPlateau } from '../schedulers/reduce-lr-on-plateau';
import { toyDataset } from './toy-data';

/** Where a run is killed: after batch B of epoch E, right after epoch E's checkpoint, or during epoch E's validation. */
export type KillPoint = { at: 'batch'; epoch: number; batch: number } | { at: 'after-checkpoint'; epoch: number } | { at: 'validation'; epoch: number };

export interface FaultRunResult {
  history: History;
  stoppedEpoch: number;
  bestEpoch: number;
  weights: number[][];
  gaps: number[];
}

const die = () => process.kill(process.pid, 'SIGKILL');

class Killer extends Callback {
  readonly observesOnly = true; // a fault injector, not part of the run
  private epoch = -1;
  constructor(private readonly point: KillPoint | undefined) {
    super();
  }
  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }
  onBatchEnd(batch: number): void {
    const p = this.point;
    if (p?.at === 'batch' && p.epoch === this.epoch && p.batch === batch) die();
  }
  afterEpochEnd(epoch: number, _logs: Logs): void {
    if (this.point?.at === 'after-checkpoint' && this.point.epoch === epoch) die();
  }
}

/** A validation loader that dies at its second batch in the chosen epoch. */
function validationLoader(point: KillPoint | undefined): DataLoader {
  const loader = new DataLoader(toyDataset(40, 99), { batchSize: 16, shuffle: false });
  let evaluations = 0;
  const iterate = loader.iterate.bind(loader);
  loader.iterate = async function* (epoch: number, startBatch = 0) {
    const thisEpoch = evaluations++;
    let n = 0;
    for await (const batch of iterate(epoch, startBatch)) {
      if (point?.at === 'validation' && point.epoch === thisEpoch && n++ === 1) die();
      yield batch;
    }
  };
  return loader;
}

export async function faultRun(dir: string, options: { kill?: KillPoint; resume?: boolean } = {}): Promise<FaultRunResult> {
  const model: tfl.LayersModel = mlp({ inputs: 64, hidden: [16], outputs: 4, dropout: 0.3, seed: options.resume ? 99 : 3 });
  const es = new EarlyStopping({ monitor: 'val_loss', patience: 2, minDelta: 1e-3, restoreBestWeights: true });
  const monitor = new OverfittingMonitor();
  // ModelCheckpoint first: the state it saves must still include the callbacks listed after it.
  const callbacks = [new ModelCheckpoint({ dir }), new ReduceLROnPlateau({ patience: 0, factor: 0.5 }), es, monitor, new Killer(options.kill)];
  const history = await fit(model, new DataLoader(toyDataset(96), { batchSize: 16, seed: 5 }), {
    epochs: 40,
    seed: 5,
    optimizer: { name: 'adam', lr: 0.08 },
    validation: validationLoader(options.kill),
    callbacks,
    resumeFrom: options.resume ? dir : undefined,
  });
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return { history, stoppedEpoch: es.stoppedEpoch, bestEpoch: es.bestEpoch, weights, gaps: monitor.gaps };
}
