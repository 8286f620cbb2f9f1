export { BackendError } from './backend-error';
export { type BackendChoice, type BackendInfo, type BackendName, type InitBackendOptions, initBackend } from './init-backend';
export { patchedKernels, patchWasm, type WasmPatchLevel, wasmPatchLevel } from './patch-wasm';
