import type * as tfl from '@tensorflow/tfjs-layers';
import { type BackendSetup, type ComparedResult, compareBackendsWith } from './compare-backends';
import { nodeHost } from './machine-info';
import { type ProfileOptions, type ProfileResult, profileModelOn } from './profile-model';

/**
 * Latency percentiles, throughput and memory of a model per batch size on the current backend,
 * after a warm-up, every step ending with an awaited read of its output (a GPU sync), so timings are real.
 */
export function profileModel(model: tfl.LayersModel, options: ProfileOptions = {}): Promise<ProfileResult[]> {
  return profileModelOn(nodeHost, model, options);
}

/**
 * The same model on several backends in one run (stage 7's "CPU vs GPU" on whatever is
 * installed), each result labelled, with throughput ratios against the first backend.
 */
export function compareBackends(build: () => tfl.LayersModel, backends: BackendSetup[], options: ProfileOptions = {}): Promise<ComparedResult[]> {
  return compareBackendsWith(profileModel, build, backends, options);
}
