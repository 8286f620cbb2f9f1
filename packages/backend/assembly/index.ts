// Our SIMD kernels, compiled by AssemblyScript into one module that imports tfjs-backend-wasm's
// memory and works on its tensors in place (scripts/build-wasm.mjs).
export { adamUpdate } from './adam';
export { batchNormInference, batchNormTrain, batchNormTrainGrad } from './batch-norm';
export { conv2dFilterGrad, conv2dRows } from './conv2d';
export { columnSum } from './column-sum';
export { gemm, gemmPacked } from './gemm';
export { maxPoolGrad } from './max-pool-grad';
export { winogradConv, winogradFilter, winogradGradFilter, winogradGradPrepare } from './winograd';
export { reluGrad } from './relu-grad';
export { transpose2d } from './transpose';
