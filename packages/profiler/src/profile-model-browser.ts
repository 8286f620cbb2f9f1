import type * as tfl from '@tensorflow/tfjs-layers';
import { type BackendSetup, type ComparedResult, compareBackendsWith } from './compare-backends';
import { browserHost } from './machine-info-browser';
import { type ProfileOptions, type ProfileResult, profileModelOn } from './profile-model';

/** The browser's `profileModel`: machine facts from navigator, memory from the JS heap where reported. */
export function profileModel(model: tfl.LayersModel, options: ProfileOptions = {}): Promise<ProfileResult[]> {
  return profileModelOn(browserHost, model, options);
}

/** The browser's `compareBackends`, e.g. WebGPU vs WebGL vs wasm on the same model. */
export function compareBackends(build: () => tfl.LayersModel, backends: BackendSetup[], options: ProfileOptions = {}): Promise<ComparedResult[]> {
  return compareBackendsWith(profileModel, build, backends, options);
}
