// The Node entry: everything in the browser entry, with Node's initBackend (tfjs-node(-gpu), wasm threads in Node).
export * from './browser';
export {
  type BackendChoice,
  type BackendInfo,
  type BackendName,
  type DawnBackend,
  type InitBackendOptions,
  initBackend,
  type WebGpuAdapterReport,
} from './init-backend';
export { type WebGpuProblem, type WebGpuUnavailable, webGpuUnavailable } from './webgpu-node-unavailable';
