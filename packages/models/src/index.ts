// The Node entry: everything in the browser entry, with model IO on the file system.
export * from './browser';
export { fileSystemHandler } from './file-io-handler';
export { loadModel, saveModel } from './save-model';
export { type PredictFileInput, predict } from './predict-node';
export { exportOnnx } from './onnx/export-onnx';
export { ONNX_OPSET } from './onnx/onnx-graph';
export { type OnnxExportOptions, type OnnxSignature, toOnnx } from './onnx/to-onnx';
