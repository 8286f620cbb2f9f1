import { InMemoryStorage } from './storage/journal-storage';
import type { Storage } from './storage/storage';
import { type StorageLike, studyFunctions } from './study-factory';
import { TunerError } from './tuner-error';

/** In a browser a storage is an object (InMemoryStorage, or your own Storage); files and PostgreSQL need Node. */
export async function resolveStorage(storage: StorageLike | undefined): Promise<Storage> {
  if (storage === undefined) return new InMemoryStorage();
  if (typeof storage !== 'string') return storage;
  throw new TunerError(
    `storage ${JSON.stringify(storage)}: journal files and PostgreSQL need Node; in a browser pass a Storage object such as new InMemoryStorage()`,
  );
}

/** optuna.create_study, optuna.load_study and optuna.delete_study for browsers. */
export const { createStudy, loadStudy, deleteStudy } = studyFunctions(resolveStorage);
