import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@fmnist/core';
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerState } from './optimizers/optimizer';
import { TrainerError } from './trainer-error';
import type { LoadedCheckpoint, TrainingState } from './training-state';

export type { LoadedCheckpoint, TrainingState } from './training-state';

interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
}

interface CheckpointJson {
  format: 'fmnist-checkpoint-v1';
  state: TrainingState;
  weightsFile: string;
  variables: TensorEntry[];
  slots: (TensorEntry & { variable: string; slot: string })[];
  /** Callback tensors (early stopping's best weights), by callback position. */
  extras?: (TensorEntry & { callback: number })[];
}

/**
 * Writes a checkpoint: one binary file of float32 values (variables, callback tensors, optimizer slots) with a
 * fresh name, then `checkpoint.json` renamed into place, then old binaries removed. A kill at any
 * point leaves the previous complete checkpoint readable.
 */
export async function writeCheckpoint(
  dir: string,
  state: TrainingState,
  variables: tf.Variable[],
  optimizer: OptimizerState,
  callbackTensors: tf.Tensor[][] = [],
): Promise<void> {
  const entries: TensorEntry[] = [];
  const slotEntries: CheckpointJson['slots'] = [];
  const extras: CheckpointJson['extras'] = [];
  const chunks: Float32Array[] = [];
  let offset = 0;
  /** Adds values to the binary file; returns the offset they start at. */
  const append = (data: Float32Array) => {
    const at = offset;
    chunks.push(data);
    offset += data.length;
    return at;
  };
  for (const v of variables) entries.push({ name: v.name, shape: v.shape, offset: append((await v.data()) as Float32Array) });
  for (const [i, tensors] of callbackTensors.entries()) {
    for (const [j, t] of tensors.entries()) {
      extras.push({ name: `callbacks/${i}/${j}`, callback: i, shape: t.shape, offset: append((await t.data()) as Float32Array) });
    }
  }
  for (const [variable, slots] of Object.entries(optimizer.slots)) {
    for (const [slot, data] of Object.entries(slots)) {
      slotEntries.push({ name: `${variable}/${slot}`, variable, slot, shape: data.shape, offset: append(Float32Array.from(data.values)) });
    }
  }
  const all = new Float32Array(offset);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  const weightsFile = `checkpoint-${randomBytes(4).toString('hex')}.bin`;
  writeFileAtomic(join(dir, weightsFile), new Uint8Array(all.buffer));
  const { slots: _slots, ...optimizerMeta } = optimizer;
  const json: CheckpointJson = {
    format: 'fmnist-checkpoint-v1',
    state: { ...state, optimizer: optimizerMeta },
    weightsFile,
    variables: entries,
    slots: slotEntries,
    extras,
  };
  writeFileAtomic(join(dir, 'checkpoint.json'), JSON.stringify(json));
  for (const f of readdirSync(dir)) if (/^checkpoint-[0-9a-f]+\.bin$/.test(f) && f !== weightsFile) rmSync(join(dir, f), { force: true });
}

export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, 'checkpoint.json'));
}

/** Reads a checkpoint written by `writeCheckpoint`, with errors naming the file. */
export function readCheckpoint(dir: string): LoadedCheckpoint {
  const path = join(dir, 'checkpoint.json');
  if (!existsSync(path)) throw new TrainerError(`${dir}: no checkpoint.json to resume from`);
  let json: CheckpointJson;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as CheckpointJson;
  } catch (error) {
    throw new TrainerError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (json.format !== 'fmnist-checkpoint-v1') throw new TrainerError(`${path}: unknown checkpoint format ${JSON.stringify(json.format)}`);
  const binPath = join(dir, json.weightsFile);
  if (!existsSync(binPath)) throw new TrainerError(`${binPath}: checkpoint weights are missing`);
  const bytes = readFileSync(binPath);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const read = (e: TensorEntry) => {
    const size = e.shape.reduce((a, b) => a * b, 1);
    if (e.offset + size > all.length) throw new TrainerError(`${binPath}: truncated (needs ${e.offset + size} floats, has ${all.length})`);
    return all.subarray(e.offset, e.offset + size);
  };
  const slots: OptimizerState['slots'] = {};
  for (const s of json.slots) {
    slots[s.variable] ??= {};
    slots[s.variable][s.slot] = { shape: s.shape, values: Array.from(read(s)) };
  }
  const callbackTensors: tf.Tensor[][] = json.state.callbacks.map(() => []);
  for (const e of json.extras ?? []) {
    if (!callbackTensors[e.callback])
      throw new TrainerError(`${path}: tensor ${e.name} belongs to callback ${e.callback}, but the checkpoint lists ${callbackTensors.length} callbacks`);
  }
  for (const e of json.extras ?? []) callbackTensors[e.callback].push(tf.tensor(read(e), e.shape, 'float32'));
  return {
    state: json.state,
    variables: json.variables.map((e) => ({ name: e.name, values: tf.tensor(read(e), e.shape, 'float32') })),
    optimizer: { ...json.state.optimizer, slots },
    callbackTensors,
  };
}
