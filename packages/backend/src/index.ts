export { BackendError } from './backend-error';
export { type BackendChoice, type BackendInfo, type BackendName, type InitBackendOptions, initBackend } from './init-backend';
export { ADAM_UPDATE } from './kernels/adam-update';
export { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from './kernels/batch-norm-train';
export { type HostKernel, hostKernelConfig } from './kernels/host-kernel';
export { patchedKernels, patchWasm, registerCpuKernels, type WasmPatchLevel, wasmPatchLevel } from './patch-wasm';
