// The Node entry: everything in the browser entry, plus journal files, PostgreSQL and worker processes.
export * from './browser';
export { createStudy, type CreateStudyOptions, deleteStudy, loadStudy, resolveStorage, type StorageLike } from './create-study';
export { type RunWorkersOptions, runWorkers } from './run-workers';
export { TrialWorkerError } from './trial-worker-error';
export { FileJournalBackend } from './storage/file-journal-backend';
export { JournalFileStorage } from './storage/journal-file-storage';
export { PostgresStorage, type PostgresStorageOptions } from './storage/postgres-storage';
