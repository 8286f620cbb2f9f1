import type * as tfl from '@tensorflow/tfjs-layers';
import type { ProfileOptions, ProfileResult } from './profile-model';

export interface BackendSetup {
  /** Label in results, e.g. 'wasm', 'wasm-stock', 'cpu', 'tensorflow'. */
  label: string;
  /** Makes this backend current (initBackend, patch levels...). */
  activate: () => Promise<void>;
}

/**
 * The same model on several backends in one run (stage 7's "CPU vs GPU" on whatever is
 * installed), each result labelled, with throughput ratios against the first backend.
 */
export async function compareBackendsWith(
  profileModel: (model: tfl.LayersModel, options?: ProfileOptions) => Promise<ProfileResult[]>,
  build: () => tfl.LayersModel,
  backends: BackendSetup[],
  options: ProfileOptions = {},
): Promise<(ProfileResult & { ratio: number })[]> {
  const out: (ProfileResult & { ratio: number })[] = [];
  const baseline = new Map<number, number>();
  for (const backend of backends) {
    await backend.activate();
    const model = build();
    const results = await profileModel(model, options);
    model.dispose();
    for (const r of results) {
      if (!baseline.has(r.batch)) baseline.set(r.batch, r.imagesPerSecond);
      out.push({ ...r, backend: backend.label, ratio: r.imagesPerSecond / (baseline.get(r.batch) ?? r.imagesPerSecond) });
    }
  }
  return out;
}
