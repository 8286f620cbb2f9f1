import { formatTable } from '@fmnist/core';
import { type BackendDevice, backendLabel } from './backend-device';
import type { ProfileResult } from './profile-model';

/** A backend that could not be measured here, and the one-line reason. */
export interface UnavailableBackend {
  backend: string;
  reason: string;
}

export interface BackendComparisonOptions {
  /** Only the results of this batch size (the seed compares batches of 64). Default: every result. */
  batch?: number;
  /** Backends asked for that could not run: one line each under the table. Default none. */
  unavailable?: UnavailableBackend[];
}

const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);

/**
 * The CPU-vs-GPU table: per backend (its device named, a software adapter labelled so) and mode,
 * the latency per batch (p50, p95), the throughput with a sync after each batch and, for inference,
 * pipelined (batches queued back to back, one sync), and the memory that backend uses: the
 * process's peak RSS on a CPU backend, the GPU memory it holds on a GPU backend. A backend that
 * could not run gets a line saying why (`webgpu: not available: <reason>`), never a blank row.
 */
export function formatBackendComparison(results: (ProfileResult & { device?: BackendDevice })[], options: BackendComparisonOptions = {}): string {
  const rows = results
    .filter((r) => options.batch === undefined || r.batch === options.batch)
    .map((r) => [
      backendLabel(r),
      r.mode,
      r.batch,
      r.latencyMs.p50.toFixed(2),
      r.latencyMs.p95.toFixed(2),
      Math.round(r.imagesPerSecond).toLocaleString('en-US'),
      r.pipelinedImagesPerSecond === null ? '-' : Math.round(r.pipelinedImagesPerSecond).toLocaleString('en-US'),
      r.gpuBytes === null ? `${r.peakRssMb} MB RSS` : `${megabytes(r.gpuBytes)} MB GPU`,
    ]);
  const lines = rows.length > 0 ? [formatTable(['backend', 'mode', 'batch', 'p50 ms', 'p95 ms', 'images/s', 'pipelined', 'memory'], rows)] : [];
  for (const u of options.unavailable ?? []) lines.push(`${u.backend}: not available: ${u.reason.split('\n')[0]}`);
  return lines.join('\n');
}
