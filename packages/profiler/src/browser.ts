// The browser entry: the same profiler with machine facts from navigator and the JS heap for memory.
export { type TraceEvent, toChromeTrace } from './chrome-trace';
export { adapterDevice, type AdapterNames, type BackendDevice, backendLabel } from './backend-device';
export { type BackendComparisonOptions, formatBackendComparison, type UnavailableBackend } from './backend-comparison';
export type { BackendActivation, BackendSetup, ComparedResult } from './compare-backends';
export type { Host } from './host';
export { formatResultsTable } from './format-results';
export { gpuBytes } from './gpu-memory';
export { type KernelRecord, type KernelStat, kernelTimesAvailable, type ProfiledCall, profileCall } from './kernel-breakdown';
export { checkLeaks, expectNoLeaks, type LeakReport } from './leak-check';
export type { MachineInfo } from './host';
export { browserMachineInfo as machineInfo } from './machine-info-browser';
export { measureMatmulPeak } from './matmul-peak';
export type { BatchSource, ProfileMode, ProfileOptions, ProfileResult } from './profile-model';
export { compareBackends, profileModel } from './profile-model-browser';
export { ProfilerError } from './profiler-error';
export { type LatencyStats, latencyStats, percentile } from './stats';
