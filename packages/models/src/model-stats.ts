import type * as tfl from '@tensorflow/tfjs-layers';

export interface ParamCounts {
  trainable: number;
  nonTrainable: number;
  total: number;
}

/** Parameters by trainability, as Keras' summary counts them (BN moving stats are non-trainable). */
export function countParams(model: tfl.LayersModel): ParamCounts {
  let trainable = 0;
  let nonTrainable = 0;
  for (const w of model.weights) {
    const size = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
    if (w.trainable) trainable += size;
    else nonTrainable += size;
  }
  return { trainable, nonTrainable, total: trainable + nonTrainable };
}

/** Shape of a layer's (first) input or output, without the batch dimension. */
function dims(t: tfl.SymbolicTensor | tfl.SymbolicTensor[]): number[] {
  const first = Array.isArray(t) ? t[0] : t;
  return (first.shape as (number | null)[]).slice(1).map((d) => d ?? 1);
}

/**
 * Floating-point operations for one image's forward pass (a multiply-add counts 2), from Dense
 * and Conv2D layers, which dominate; element-wise layers are counted once per output value.
 */
export function flopsPerImage(model: tfl.LayersModel): number {
  let flops = 0;
  for (const layer of model.layers) {
    const out = dims(layer.output as tfl.SymbolicTensor);
    const outSize = out.reduce((a, b) => a * b, 1);
    const cls = layer.getClassName();
    if (cls === 'Dense') {
      const inSize = dims(layer.input as tfl.SymbolicTensor).at(-1) ?? 1;
      flops += 2 * inSize * outSize;
    } else if (cls === 'Conv2D') {
      const cfg = layer.getConfig() as { kernelSize: number[] };
      const cin = dims(layer.input as tfl.SymbolicTensor).at(-1) ?? 1;
      flops += 2 * cfg.kernelSize[0] * cfg.kernelSize[1] * cin * outSize;
    } else if (cls !== 'Flatten' && cls !== 'Dropout' && cls !== 'InputLayer') {
      flops += outSize;
    }
  }
  return flops;
}
