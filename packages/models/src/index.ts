// The Node entry: everything in the browser entry, with model IO on the file system.
export * from './browser';
export { fileSystemHandler } from './file-io-handler';
export { loadModel, saveModel } from './save-model';
