// The browser entry: `initBackend` picks WebGPU, then WebGL, then wasm (with our kernels), then cpu.
export { BACKEND_CHOICES, BROWSER_BACKEND_CHOICES } from '@fmnist/core';
export { BackendError } from './backend-error';
export {
  type BrowserBackendChoice,
  type BrowserBackendInfo,
  type BrowserBackendName,
  type InitBrowserBackendOptions,
  initBackend,
} from './init-backend-browser';
export { setWinograd, winogradEnabled } from './kernels/conv2d-winograd';
export { patchedKernels, patchWasm, registerCpuKernels, type WasmPatchLevel, wasmPatchLevel } from './patch-wasm';
