import { getKernel, type KernelBackend, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { BackendError } from '../backend-error';

/**
 * Calls another kernel of the same backend directly (no op-level checks, no autodiff tape),
 * staying in that backend's memory. The caller frees what it gets back with `release`.
 */
export function callKernel(
  backend: KernelBackend,
  name: string,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown> = {},
  backendName = 'wasm',
): TensorInfo {
  const kernel = getKernel(name, backendName);
  if (!kernel) throw new BackendError(`kernel ${name} is not registered for backend ${backendName}`, { kind: 'failure' });
  const out = kernel.kernelFunc({ inputs, backend: backend as unknown as Parameters<typeof kernel.kernelFunc>[0]['backend'], attrs: attrs as NamedAttrMap });
  return Array.isArray(out) ? out[0] : (out as TensorInfo);
}

/** Frees intermediate results of `callKernel`. */
export function release(backend: KernelBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
