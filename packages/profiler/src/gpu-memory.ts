import * as tf from '@tensorflow/tfjs-core';

/**
 * GPU memory the current backend holds, bytes: its tensors plus the buffers it keeps for reuse
 * (tfjs's `numBytesAllocatedInGPU` on WebGPU, `numBytesInGPUAllocated` on WebGL), so its
 * high-water mark so far in this process; null on the CPU backends (cpu, wasm, tensorflow).
 */
export function gpuBytes(): number | null {
  const memory: object = tf.memory();
  if ('numBytesAllocatedInGPU' in memory && typeof memory.numBytesAllocatedInGPU === 'number') return memory.numBytesAllocatedInGPU;
  if ('numBytesInGPUAllocated' in memory && typeof memory.numBytesInGPUAllocated === 'number') return memory.numBytesInGPUAllocated;
  if ('numBytesInGPU' in memory && typeof memory.numBytesInGPU === 'number') return memory.numBytesInGPU;
  return null;
}
