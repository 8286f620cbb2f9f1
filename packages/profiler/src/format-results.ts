import { type BackendDevice, backendLabel } from './backend-device';
import type { ProfileResult } from './profile-model';

/**
 * A markdown table of profile results (renders in terminals and reports). A `GPU MB` column (the
 * GPU memory a GPU backend holds) appears when some result has one.
 */
export function formatResultsTable(results: (ProfileResult & { ratio?: number; device?: BackendDevice })[]): string {
  const gpu = results.some((r) => r.gpuBytes !== null);
  const header = [
    'model',
    'mode',
    'backend',
    'batch',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'images/s',
    'peak MB',
    'RSS MB',
    ...(gpu ? ['GPU MB'] : []),
    'GFLOP/s',
    'ratio',
  ];
  const rows = results.map((r) => [
    r.model,
    r.mode,
    backendLabel(r),
    String(r.batch),
    r.latencyMs.p50.toFixed(2),
    r.latencyMs.p95.toFixed(2),
    r.latencyMs.p99.toFixed(2),
    Math.round(r.imagesPerSecond).toLocaleString('en-US'),
    (r.peakBytes / 1e6).toFixed(1),
    String(r.peakRssMb),
    ...(gpu ? [r.gpuBytes === null ? '' : (r.gpuBytes / 1e6).toFixed(1)] : []),
    r.gflops.toFixed(2),
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`,
  ]);
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
