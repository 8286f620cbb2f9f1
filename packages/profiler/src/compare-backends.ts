import type * as tfl from '@tensorflow/tfjs-layers';
import type { BackendDevice } from './backend-device';
import type { ProfileOptions, ProfileResult } from './profile-model';

/** What a backend's `activate` may say once it runs: the device, and options of its own. */
export interface BackendActivation {
  /** The device it runs on, where it has one to name (WebGPU: the adapter). */
  device?: BackendDevice;
  /** Profile options for this backend only, over the shared ones (e.g. fewer iterations on a software adapter). */
  options?: ProfileOptions;
}

export interface BackendSetup {
  /** Label in results, e.g. 'wasm', 'wasm-stock', 'cpu', 'tensorflow', 'webgpu'. */
  label: string;
  /** Makes this backend current (initBackend, patch levels...); may say what it runs on. */
  // biome-ignore lint/suspicious/noConfusingVoidType: an activate that returns nothing (`async () => { await initBackend() }`) stays valid
  activate: () => Promise<void | BackendActivation>;
}

/** A result of `compareBackends`: labelled, with its throughput ratio to the first backend, and its device where it has one. */
export type ComparedResult = ProfileResult & { ratio: number; device?: BackendDevice };

/**
 * The same model on several backends in one run (stage 7's "CPU vs GPU" on whatever is
 * installed), each result labelled, with throughput ratios against the first backend.
 */
export async function compareBackendsWith(
  profileModel: (model: tfl.LayersModel, options?: ProfileOptions) => Promise<ProfileResult[]>,
  build: () => tfl.LayersModel,
  backends: BackendSetup[],
  options: ProfileOptions = {},
): Promise<ComparedResult[]> {
  const out: ComparedResult[] = [];
  const baseline = new Map<number, number>();
  for (const backend of backends) {
    const activation = (await backend.activate()) ?? {};
    const model = build();
    const results = await profileModel(model, { ...options, ...activation.options });
    model.dispose();
    for (const r of results) {
      if (!baseline.has(r.batch)) baseline.set(r.batch, r.imagesPerSecond);
      const ratio = r.imagesPerSecond / (baseline.get(r.batch) ?? r.imagesPerSecond);
      out.push({ ...r, backend: backend.label, ratio, ...(activation.device ? { device: activation.device } : {}) });
    }
  }
  return out;
}
