import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fusedConv2d } from './ops/fused-conv2d';

type Kwargs = Record<string, unknown>;
type Conv2DCtor = new (args: Parameters<typeof tfl.layers.conv2d>[0]) => tfl.layers.Layer;

// tfjs-layers does not export its Conv2D class; take it from an instance.
const Conv2DBase = Object.getPrototypeOf(tfl.layers.conv2d({ filters: 1, kernelSize: 1 })).constructor as Conv2DCtor;

interface Conv2DFields {
  kernel: tfl.LayerVariable;
  bias: tfl.LayerVariable | null;
  strides: number[];
  padding: string;
  dataFormat: string;
  /** tfjs-layers normalises strides and dilation rates to one number per spatial axis. */
  dilationRate: number[];
  activation: { getClassName(): string };
}

/**
 * Conv2D whose convolution is recorded on the tape as the kernel it runs (`fusedConv2d`), so that a
 * training step computes only the gradients it needs: the first convolution's gradient with
 * respect to the data, which tfjs' fused op computes and throws away, is skipped. Only where tfjs
 * would run that fused kernel too (NHWC, dilation 1, linear activation); otherwise, and for
 * serialisation, it is tfjs-layers' own: saved models load anywhere as `Conv2D`. Forward and the
 * gradients computed are the same numbers as tfjs-layers'.
 */
export class FastConv2D extends Conv2DBase {
  static className = 'Conv2D';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as Conv2DFields;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const plain =
      x.rank === 4 &&
      self.dataFormat === 'channelsLast' &&
      self.dilationRate.every((d) => d === 1) &&
      (self.padding === 'same' || self.padding === 'valid') &&
      self.activation.getClassName() === 'linear';
    if (!plain) return super.call(inputs, kwargs);
    return tf.tidy(() =>
      fusedConv2d(x as tf.Tensor4D, self.kernel.read() as tf.Tensor4D, self.bias ? (self.bias.read() as tf.Tensor1D) : null, {
        strides: [self.strides[0], self.strides[1]],
        pad: self.padding as 'same' | 'valid',
      }),
    );
  }
}

/** `tfl.layers.conv2d` as a FastConv2D: the same options, the same numbers, no unneeded gradient. */
export function fastConv2d(args: Parameters<typeof tfl.layers.conv2d>[0]): tfl.layers.Layer {
  return new FastConv2D(args);
}
