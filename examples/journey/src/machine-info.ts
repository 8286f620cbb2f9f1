import { cpus } from 'node:os';
import type { BackendInfo } from '@fmnist/backend';

/** What a report needs so two runs can be compared: the CPU, the Node version, the backend and its kernels. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  /** Threads the backend computes with. */
  threads: number;
  node: string;
  backend: string;
  backendPackage: string;
  /** The build of our wasm kernels (`relaxed-simd`, `simd`, `js`), null off wasm. */
  kernelBuild: string | null;
  /** Our kernels registered on the backend. */
  kernels: string[];
  /** Whether 3x3 convolutions ran by Winograd (our wasm kernels). */
  winograd: boolean;
}

export function machineInfo(backend: BackendInfo): MachineInfo {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    threads: backend.threads,
    node: process.version,
    backend: backend.name,
    backendPackage: `${backend.package} ${backend.version}`,
    kernelBuild: backend.kernelBuild,
    kernels: backend.patchedKernels,
    winograd: backend.winograd,
  };
}

/** A stage's training speed: the mean images/s of its epochs, null without a fit history. */
export function imagesPerSecond(history: { imagesPerSecond?: number }[] | undefined): number | null {
  const speeds = (history ?? []).map((e) => e.imagesPerSecond).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return speeds.length ? speeds.reduce((a, b) => a + b, 0) / speeds.length : null;
}
