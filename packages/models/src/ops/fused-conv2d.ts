import * as tf from '@tensorflow/tfjs-core';
import { ModelError } from '../model-error';

/** FusedConv2D's attributes, as tfjs' `fused.conv2d` passes them. */
interface FusedConv2DAttrs {
  strides: [number, number] | number;
  pad: 'same' | 'valid' | number;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: [number, number] | number;
  activation: string;
}

const ones = (v: [number, number] | number) => (Array.isArray(v) ? v.every((d) => d === 1) : v === 1);

/**
 * FusedConv2D's gradient as the tape wants it: one function per input, each run only when that
 * input needs a gradient. It computes what tfjs' own `fused.conv2d` gradient computes (the same
 * kernels with the same attributes); that one is a `customGrad`, which computes all of them.
 */
const fusedConv2DGradient: tf.GradConfig = {
  kernelName: tf.FusedConv2D,
  inputsToSave: ['x', 'filter'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const { strides, pad, dataFormat, dilations, activation } = attrs as unknown as FusedConv2DAttrs;
    if (dataFormat !== 'NHWC' || !ones(dilations) || (activation !== 'linear' && activation !== 'relu'))
      throw new ModelError(
        `gradient of FusedConv2D: expected NHWC, dilations 1 and a linear or relu activation, got ${dataFormat}, ${JSON.stringify(dilations)}, ${activation}`,
      );
    const dy4 = dy as tf.Tensor4D;
    // The gradient through the activation, made once here (each input's function runs in its own tidy).
    const through = activation === 'relu' ? tf.mul(dy4, tf.step(y)) : dy4;
    const grads: Record<string, () => tf.Tensor> = {
      x: () => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: through, filter }, { strides, pad, dataFormat: 'NHWC', inputShape: x.shape }) as tf.Tensor,
      filter: () =>
        tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: through }, { strides, pad, dataFormat: 'NHWC', filterShape: filter.shape }) as tf.Tensor,
      // A [outChannels] bias: the sum over batch and positions.
      bias: () => tf.reshape(tf.sum(through, [0, 1, 2]), [filter.shape[3]]),
    };
    return grads;
  },
};

function ensureGradient(): void {
  // A gradient someone else registered for the kernel stays theirs.
  if (tf.getGradient(tf.FusedConv2D) === undefined) tf.registerGradient(fusedConv2DGradient);
}

export interface FusedConv2dArgs {
  strides: [number, number];
  pad: 'same' | 'valid';
  /** Applied after the bias. Default 'linear'. */
  activation?: 'linear' | 'relu';
}

/**
 * `tf.fused.conv2d` (NHWC, dilation 1, a [outChannels] bias or none, linear or ReLU) recorded on
 * the tape as the FusedConv2D kernel itself, so that backpropagation computes only the gradients
 * it needs: tfjs' op is a `customGrad` whose gradient computes the input's gradient too, which for
 * a network's first convolution (the data: nothing to backpropagate to) costs as much as the
 * forward and is thrown away. The forward runs the same kernel with the same attributes, and every
 * gradient it does compute is tfjs' own, kernel for kernel: the numbers are the same.
 */
export function fusedConv2d(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D | null, args: FusedConv2dArgs): tf.Tensor4D {
  if (x.rank !== 4 || filter.rank !== 4 || x.shape[3] !== filter.shape[2])
    throw new ModelError(`fusedConv2d: expected [n, h, w, ${filter.shape[2]}] input for a [${filter.shape.join(', ')}] filter, got [${x.shape.join(', ')}]`);
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== filter.shape[3]))
    throw new ModelError(`fusedConv2d: expected a [${filter.shape[3]}] bias, got [${bias.shape.join(', ')}]`);
  ensureGradient();
  const inputs: tf.NamedTensorMap = bias === null ? { x, filter } : { x, filter, bias };
  const attrs = { strides: args.strides, pad: args.pad, dataFormat: 'NHWC', dilations: [1, 1], activation: args.activation ?? 'linear' };
  return tf.engine().runKernel(tf.FusedConv2D, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
