import * as tf from '@tensorflow/tfjs-core';
import type { Host, MachineInfo } from './host';

interface BrowserNavigator {
  userAgent?: string;
  hardwareConcurrency?: number;
  /** Chrome: GiB, rounded down, capped at 8. */
  deviceMemory?: number;
  platform?: string;
}

/** The browser's view of the machine: what navigator tells (no CPU model in browsers). */
export function browserMachineInfo(): MachineInfo {
  const nav = (globalThis.navigator ?? {}) as BrowserNavigator;
  return {
    backend: tf.getBackend(),
    tfjsVersion: tf.version_core,
    node: nav.userAgent ?? 'unknown',
    cpu: 'unknown (browser)',
    cores: nav.hardwareConcurrency ?? 1,
    memoryGb: nav.deviceMemory ?? 0,
    platform: nav.platform ?? 'browser',
  };
}

/** Browsers: navigator for the machine, Chrome's performance.memory for the heap. */
export const browserHost: Host = {
  machine: browserMachineInfo,
  peakRssMb: () => {
    const memory = (performance as { memory?: { totalJSHeapSize: number } }).memory;
    return memory ? Math.round(memory.totalJSHeapSize / 2 ** 20) : 0;
  },
};
