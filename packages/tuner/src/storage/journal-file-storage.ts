import { FileJournalBackend } from './file-journal-backend';
import { JournalStorage } from './journal-storage';

/** optuna.storages.JournalFileStorage: a file Python's Optuna and optuna-dashboard can open. */
export class JournalFileStorage extends JournalStorage {
  constructor(readonly path: string) {
    super(new FileJournalBackend(path));
  }
}
