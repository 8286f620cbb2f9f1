import type * as tfl from '@tensorflow/tfjs-layers';
import { writeFileAtomic } from '@fmnist/core';
import type { SimpleNN } from '../simple-nn';
import { buildOnnx, type OnnxExportOptions, type OnnxSignature } from './to-onnx';

/**
 * Writes a tfjs layers model as an ONNX file (atomically), like `torch.onnx.export`:
 * `await exportOnnx(model, 'model.onnx')`. Options and supported layers: {@link toOnnx}.
 * Needs the optional package onnx-proto. Returns the graph's input and output signature.
 */
export async function exportOnnx(model: tfl.LayersModel | SimpleNN, path: string, options: OnnxExportOptions = {}): Promise<OnnxSignature> {
  const { bytes, signature } = await buildOnnx(model, options);
  writeFileAtomic(path, bytes);
  return signature;
}
