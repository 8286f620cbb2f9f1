// Run in a child process (webgpu-node-lavapipe.test.ts) with the environment that
// scripts/lavapipe.sh prints: LD_LIBRARY_PATH only works in a process started with it. Starts
// WebGPU, trains a zoo model's first steps (argv[2], default cnn) on it and on the cpu backend,
// and prints one JSON line: the backend's info and both runs (weights as arrays).
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import { getModelEntry } from '@fmnist/models';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../init-backend';
import { type SgdRun, sgdRun } from './sgd-run';
import { makeZooModel, ZOO_STEPS } from './zoo-steps';

const { name } = getModelEntry(process.argv[2] ?? 'cnn');
const make = () => makeZooModel(name);
const info = await initBackend({ backend: 'webgpu' });
const webgpu = await sgdRun(make, ZOO_STEPS[name].shape);
await tf.setBackend('cpu');
const cpu = await sgdRun(make, ZOO_STEPS[name].shape);
const plain = (run: SgdRun) => ({ ...run, weights: run.weights.map((w) => Array.from(w)) });
// Dawn's threads would keep Node running.
process.stdout.write(`${JSON.stringify({ info, webgpu: plain(webgpu), cpu: plain(cpu) })}\n`, () => process.exit(0));
