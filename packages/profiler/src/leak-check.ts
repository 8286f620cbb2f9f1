import * as tf from '@tensorflow/tfjs-core';
import { ProfilerError } from './profiler-error';

export interface LeakReport {
  steps: number;
  /** Tensors that survive each call, on average (0 for a clean function). */
  tensorsPerStep: number;
  bytesPerStep: number;
  leaking: boolean;
}

/**
 * Runs `fn` `steps` times after one warm-up call (which may create lasting state such as
 * optimizer slots) and reports tensors and bytes that grow per call: the most common tfjs bug.
 * Tensors that `fn` returns (alone, or in an array or object) are disposed after each call: they
 * are its result, which a caller would own, not a leak.
 */
export async function checkLeaks(fn: () => unknown | Promise<unknown>, options: { steps?: number } = {}): Promise<LeakReport> {
  const steps = options.steps ?? 5;
  const call = async () => {
    const result = await fn();
    if (result !== null && typeof result === 'object') tf.dispose(result as tf.TensorContainer);
  };
  await call();
  const before = tf.memory();
  for (let i = 0; i < steps; i++) await call();
  const after = tf.memory();
  const tensorsPerStep = (after.numTensors - before.numTensors) / steps;
  const bytesPerStep = (after.numBytes - before.numBytes) / steps;
  return { steps, tensorsPerStep, bytesPerStep, leaking: tensorsPerStep > 0 || bytesPerStep > 0 };
}

/** Throws, naming the growth, when `fn` leaks tensors (for the tests of any package). */
export async function expectNoLeaks(fn: () => unknown | Promise<unknown>, options: { steps?: number } = {}): Promise<void> {
  const report = await checkLeaks(fn, options);
  if (report.leaking) {
    throw new ProfilerError(`tensor leak: ${report.tensorsPerStep} tensors (${report.bytesPerStep} bytes) kept per call over ${report.steps} calls`, {
      kind: 'failure',
    });
  }
}
