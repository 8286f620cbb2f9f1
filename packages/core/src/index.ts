// The Node entry: the browser entry plus atomic file writes.
export * from './browser';
export { writeFileAtomic } from './write-file-atomic';
