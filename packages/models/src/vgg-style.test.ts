import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from './test-setup';
import { vggStyle } from './vgg-style';

beforeAll(useCpu);

const kernelOf = (model: ReturnType<typeof vggStyle>, name: string) => {
  const k = model.getLayer(name).getWeights()[0];
  return { shape: k.shape, values: k.dataSync() };
};

describe('vggStyle diracInit', () => {
  it("starts each convolution after the first with torch.nn.init.dirac_ on its first Cin filters and leaves the rest as the default's", () => {
    const before = tf.memory().numTensors;
    const plain = vggStyle({ seed: 3 });
    const dirac = vggStyle({ seed: 3, diracInit: true });
    // The first convolution (one input channel) keeps its random start.
    expect(kernelOf(dirac, 'block1_conv1').values).toEqual(kernelOf(plain, 'block1_conv1').values);
    for (const name of ['block1_conv2', 'block2_conv1', 'block2_conv2']) {
      const { shape, values } = kernelOf(dirac, name);
      const base = kernelOf(plain, name).values;
      const [kh, kw, cin, cout] = shape;
      let identity = 0;
      for (let t = 0; t < kh * kw; t++)
        for (let i = 0; i < cin; i++)
          for (let o = 0; o < cout; o++) {
            const v = values[(t * cin + i) * cout + o];
            if (o >= cin) expect(v).toBe(base[(t * cin + i) * cout + o]);
            else if (t === 4 && i === o) identity += v;
            else expect(v).toBe(0);
          }
      expect(identity).toBe(cin);
    }
    // Biases and batch norm are untouched.
    expect(dirac.getLayer('block2_conv1').getWeights()[1].dataSync()).toEqual(plain.getLayer('block2_conv1').getWeights()[1].dataSync());
    plain.dispose();
    dirac.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('passes a block-2 input through its identity filters: conv2 of block 1 maps its input channels to themselves', () => {
    const model = vggStyle({ seed: 0, diracInit: true });
    const conv = model.getLayer('block1_conv2');
    const x = tf.randomUniform([1, 28, 28, 64], 0, 1, 'float32', 5);
    const y = tf.tidy(() => conv.apply(x) as tf.Tensor);
    const bias = conv.getWeights()[1];
    const expected = tf.tidy(() => tf.add(x, tf.slice(bias, [0], [64])));
    const got = tf.tidy(() => tf.slice(y, [0, 0, 0, 0], [1, 28, 28, 64]));
    expect(Array.from(got.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, y, expected, got]);
    model.dispose();
  });
});
