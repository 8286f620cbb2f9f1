import { existsSync, statSync } from 'node:fs';
import { exportOnnx, loadModel, ONNX_OPSET } from '@fmnist/models';
import { BACKEND_OPTION, backendFromFlags } from '../backend-flags';
import type { Command } from '../command';
import { choice, str } from '../options';
import { UsageError } from '../usage-error';

export const exportCommand: Command = {
  path: ['export'],
  summary: 'Export a saved model to ONNX, for ONNX Runtime in Python, C++, mobile or the browser',
  options: {
    'model-dir': { type: 'string', value: 'DIR', description: 'a model saved by fmnist train --out', required: true },
    out: { type: 'string', value: 'FILE.onnx', description: 'the file to write', required: true },
    format: { type: 'string', value: 'FORMAT', description: 'the export format', choices: ['onnx'], default: 'onnx' },
    'input-layout': {
      type: 'string',
      value: 'LAYOUT',
      description: "the ONNX input's layout (images for convolutional models; MLPs take them flat either way)",
      choices: ['nchw', 'nhwc'],
      default: 'nchw',
    },
    'no-fold-batch-norm': { type: 'boolean', description: 'keep BatchNorm layers as nodes instead of folding them into the layer before' },
    backend: BACKEND_OPTION,
  },
  async run({ values, io, json }) {
    const dir = str(values, 'model-dir');
    if (!dir) throw new UsageError('--model-dir is required (a directory written by fmnist train --out)');
    const out = str(values, 'out');
    if (!out) throw new UsageError('--out is required (the .onnx file to write)');
    if (existsSync(out) && statSync(out).isDirectory()) throw new UsageError(`--out: ${out} is a directory; expected the path of the .onnx file to write`);
    choice(values, 'format', ['onnx'] as const, 'onnx');
    const inputLayout = choice(values, 'input-layout', ['nchw', 'nhwc'] as const, 'nchw');
    await backendFromFlags(values);
    const { model, metadata } = await loadModel(dir);
    const signature = await exportOnnx(model, out, { inputLayout, foldBatchNorm: values['no-fold-batch-norm'] !== true, metadata });
    const report = {
      out,
      format: 'onnx',
      opset: ONNX_OPSET,
      bytes: statSync(out).size,
      model: metadata?.model ?? model.name,
      ...signature,
    };
    model.dispose();
    if (json) io.stdout(JSON.stringify(report));
    else
      io.stdout(
        `wrote ${out} (${report.bytes} bytes, ONNX opset ${ONNX_OPSET}): input "${signature.input.name}" [${signature.input.shape.join(', ')}] ${signature.input.layout}, output "${signature.output.name}" [${signature.output.shape.join(', ')}]`,
      );
  },
};
