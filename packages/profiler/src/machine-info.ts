import { cpus, totalmem } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';

export interface MachineInfo {
  backend: string;
  tfjsVersion: string;
  node: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  platform: string;
}

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
