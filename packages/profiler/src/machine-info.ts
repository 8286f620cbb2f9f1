import { cpus, totalmem } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { Host, MachineInfo } from './host';

export type { MachineInfo } from './host';

/** The machine and backend, recorded with every measurement. */
export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    backend: tf.getBackend(),
    tfjsVersion: tf.version_core,
    node: process.version,
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Node: the CPU model, cores and memory from node:os, peak RSS from the process. */
export const nodeHost: Host = {
  machine: machineInfo,
  peakRssMb: () => Math.round(process.resourceUsage().maxRSS / 1024),
};
