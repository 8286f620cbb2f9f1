import type { KernelRecord } from './kernel-breakdown';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: 'X' | 'M';
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

/**
 * A Chrome trace-event document (opens in Perfetto or chrome://tracing) of profiled kernels.
 * tfjs reports durations, not start times; kernels of the wasm and cpu backends run one after
 * another, so they are laid end to end on one track. A kernel the backend did not time (WebGPU
 * without 'timestamp-query': `ms` null) is drawn 1 µs long with `args.timed: false`.
 */
export function toChromeTrace(
  records: KernelRecord[],
  meta: { name: string; backend: string },
): { traceEvents: TraceEvent[]; displayTimeUnit: 'ms'; metadata: Record<string, string> } {
  const events: TraceEvent[] = [
    { name: 'process_name', cat: '__metadata', ph: 'M', ts: 0, pid: 1, tid: 1, args: { name: `${meta.name} (${meta.backend})` } },
    { name: 'thread_name', cat: '__metadata', ph: 'M', ts: 0, pid: 1, tid: 1, args: { name: 'kernels' } },
  ];
  let ts = 0;
  for (const r of records) {
    const dur = Math.max(0.001, (r.ms ?? 0) * 1000);
    events.push({
      name: r.name,
      cat: 'kernel',
      ph: 'X',
      ts: Math.round(ts * 1000) / 1000,
      dur: Math.round(dur * 1000) / 1000,
      pid: 1,
      tid: 1,
      args: { inputShapes: r.inputShapes, outputShapes: r.outputShapes, ...(r.ms === null ? { timed: false } : {}) },
    });
    ts += dur;
  }
  return { traceEvents: events, displayTimeUnit: 'ms', metadata: { model: meta.name, backend: meta.backend } };
}
