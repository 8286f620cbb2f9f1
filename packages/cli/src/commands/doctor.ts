import { type BackendInfo, initBackend, type WebGpuAdapterReport, type WebGpuUnavailable, webGpuUnavailable } from '@fmnist/backend';
import { candidateDirs, locateSplit } from '@fmnist/data';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_OPTION, backendFromFlags } from '../backend-flags';
import type { Command, Values } from '../command';

/**
 * `doctor --json`'s `webgpu` field: the adapter (`available: true` and `WebGpuAdapterReport`'s
 * fields) when WebGPU runs, why not and the fix (`WebGpuUnavailable`) when it was asked for and
 * cannot start, null when it was not asked for.
 */
type DoctorWebGpu = ({ available: true } & WebGpuAdapterReport) | WebGpuUnavailable | null;

/**
 * The backend asked for, or when that is WebGPU and it cannot start, the one `auto` picks (the
 * rest of the report is about it) and why WebGPU did not.
 */
async function backendOrWhyNot(values: Values): Promise<{ info: BackendInfo; webgpu: DoctorWebGpu }> {
  try {
    const info = await backendFromFlags(values);
    return { info, webgpu: info.webgpu ? { available: true, ...info.webgpu } : null };
  } catch (error) {
    const unavailable = webGpuUnavailable(error);
    if (!unavailable) throw error;
    return { info: await initBackend({ backend: 'auto' }), webgpu: unavailable };
  }
}

export const doctorCommand: Command = {
  path: ['doctor'],
  summary: 'Backend, version, threads, SIMD, the WebGPU adapter or why there is none (exit 1), why other backends were skipped, and where the data is',
  options: { backend: BACKEND_OPTION },
  async run({ values, io, json }) {
    const { info, webgpu } = await backendOrWhyNot(values);
    const unavailable = webgpu?.available === false ? webgpu : null;
    const data = { train: locateSplit('train', candidateDirs()), test: locateSplit('test', candidateDirs()), searched: candidateDirs() };
    const report = { ...info, webgpu, node: process.version, tfjs: tf.version_core, data };
    if (json) {
      io.stdout(JSON.stringify(report));
      return unavailable ? 1 : 0;
    }
    if (unavailable) {
      io.stdout(`webgpu:    not available - ${unavailable.reason}`);
      io.stdout(`fix:       ${unavailable.fix}`);
    }
    io.stdout(`backend:   ${info.name} (${info.package} ${info.version}) - ${unavailable ? 'instead of webgpu: ' : ''}${info.reason}`);
    io.stdout(
      `threads:   ${info.threads}${info.name === 'wasm' && info.threads > 1 ? " (tfjs-backend-wasm's pthreads build with worker threads for our SIMD kernels, started by @fmnist/backend; FMNIST_THREADS=1 turns it off)" : ''}`,
    );
    io.stdout(`simd:      ${info.simd}`);
    io.stdout(`gpu:       ${info.gpu}`);
    if (info.patchedKernels.length) io.stdout(`kernels:   ours on wasm: ${info.patchedKernels.join(', ')}`);
    if (info.kernelBuild)
      io.stdout(
        `build:     ${info.kernelBuild}${info.kernelBuild === 'relaxed-simd' ? ' (fused multiply-add; FMNIST_RELAXED_SIMD=0 for plain SIMD)' : info.kernelBuild === 'js' ? ' (no wasm SIMD in this engine)' : ''}`,
      );
    if (info.kernelBuild && info.kernelBuild !== 'js')
      io.stdout(`winograd:  ${info.winograd ? 'on (3x3 convolutions; FMNIST_WINOGRAD=0 for direct convolution)' : 'off'}`);
    if (info.webgpu) {
      const a = info.webgpu;
      io.stdout(
        `adapter:   ${[a.vendor, a.architecture, a.device].filter(Boolean).join(' ') || 'unnamed'} - ${a.description} (Dawn's ${a.dawnBackend} backend)`,
      );
      io.stdout(`software:  ${a.software}${a.isFallbackAdapter ? ' (a fallback adapter)' : ''}${a.note ? ` - ${a.note}` : ''}`);
      io.stdout(`limits:    maxBufferSize ${a.maxBufferSize} bytes, maxStorageBufferBindingSize ${a.maxStorageBufferBindingSize} bytes`);
    }
    for (const note of info.notes) io.stdout(`skipped:   ${note}`);
    io.stdout(`node:      ${process.version}`);
    io.stdout(
      `data:      ${data.train ? `${data.train.dir} (${data.train.kind})` : `not found; searched ${data.searched.map((c) => c.dir).join(', ')}; run apt-get install dataset-fashion-mnist or fmnist data fetch`}`,
    );
    return unavailable ? 1 : 0;
  },
};
