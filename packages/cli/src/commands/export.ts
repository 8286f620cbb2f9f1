import { existsSync, statSync } from 'node:fs';
import { exportOnnx, loadModel, ONNX_OPSET } from '@fmnist/models';
import { backendFromFlags } from '../backend-flags';
import type { Command } from '../command';
import { choice, str } from '../options';
import { UsageError } from '../usage-error';

export const exportCommand: Command = {
  path: ['export'],
  summary: 'Export a saved model to ONNX, for ONNX Runtime in Python, C++, mobile or the browser',
  usage: 'fmnist export --model-dir D --out FILE.onnx [--format onnx] [--input-layout nchw|nhwc] [--no-fold-batch-norm] [--backend B] [--json]',
  options: {
    'model-dir': { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    'input-layout': { type: 'string' },
    'no-fold-batch-norm': { type: 'boolean' },
    backend: { type: 'string' },
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
