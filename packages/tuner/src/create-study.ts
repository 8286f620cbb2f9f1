import { JournalFileStorage } from './storage/journal-file-storage';
import { InMemoryStorage } from './storage/journal-storage';
import type { Storage } from './storage/storage';
import { type StorageLike, studyFunctions } from './study-factory';
import { TunerError } from './tuner-error';

export type { CreateStudyOptions, StorageLike } from './study-factory';

/** A storage from a URL-ish string: `journal:PATH`, a `.log`/`.jsonl` path, or `postgres://...`. */
export async function resolveStorage(storage: StorageLike | undefined): Promise<Storage> {
  if (storage === undefined) return new InMemoryStorage();
  if (typeof storage !== 'string') return storage;
  if (storage.startsWith('postgres://') || storage.startsWith('postgresql://')) {
    const { PostgresStorage } = await import('./storage/postgres-storage');
    return PostgresStorage.connect(storage);
  }
  const path = storage.startsWith('journal:') ? storage.slice('journal:'.length) : storage;
  if (!path) throw new TunerError(`storage: expected journal:PATH or postgres://..., got ${JSON.stringify(storage)}`);
  return new JournalFileStorage(path);
}

/** optuna.create_study, optuna.load_study and optuna.delete_study; `storage` may be `journal:PATH` or `postgres://...`. */
export const { createStudy, loadStudy, deleteStudy } = studyFunctions(resolveStorage);
