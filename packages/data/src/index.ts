// The Node entry: everything in the browser entry, plus files, downloads, zlib, PNG and hashes.
export * from './browser';
export { type Candidate, candidateDirs, type DataLocation, defaultCacheDir, findFile, type LocationKind, locateSplit } from './data-location';
export { type DownloadOptions, downloadFile } from './download-file';
export { type EncodeIdxOptions, encodeIdx } from './encode-idx';
export { SYSTEM_DATA_DIR } from './fashion-mnist';
export { type FetchResult, fetchFashionMnist } from './fetch-fashion-mnist';
export { gunzip, gzip } from './gzip';
export { type ImageGridOptions, renderImageGrid } from './image-grid';
export { type FashionMnist, type LoadFashionMnistOptions, loadFashionMnist, readSplit } from './load-fashion-mnist';
export { type LoadIdxDatasetOptions, loadIdxDataset } from './load-idx-dataset';
export { parseIdx } from './parse-idx';
export { decodeImage } from './decode-image';
export { decodePng, encodePng } from './png';
export { readPayloadVerified } from './read-payload';
export { readIdxFile, writeIdxFile } from './read-idx-file';
export { sha256Hex, verifySha256 } from './verify-sha256';
export { writeFileAtomic } from './write-file-atomic';
