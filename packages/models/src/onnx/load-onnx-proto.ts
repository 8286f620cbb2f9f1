import { createRequire } from 'node:module';
import type { onnx } from 'onnx-proto';
import { ModelError } from '../model-error';

export type OnnxNamespace = typeof onnx;

/**
 * onnx-proto (the ONNX protobuf schema, compiled for protobufjs), an optional peer: loaded only
 * when a model is exported. A plain require: the package is CommonJS with `module.exports = root`,
 * so an ESM import sees no named export.
 */
export function loadOnnxProto(load: (id: string) => unknown = createRequire(import.meta.url)): OnnxNamespace {
  try {
    return (load('onnx-proto') as { onnx: OnnxNamespace }).onnx;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new ModelError('ONNX export needs the optional package onnx-proto (npm i onnx-proto)');
  }
}
