// Child for the heartbeat tests: claims a trial, reports once, then hangs until killed
// (`hang`), or finishes after `ms` milliseconds (`slow:MS`). Storage options as JSON in argv[4].
import { createStudy } from '../create-study';
import { PostgresStorage, type PostgresStorageOptions } from '../storage/postgres-storage';

const [url, studyName, mode = 'hang', options = '{"heartbeatInterval":0.2}'] = process.argv.slice(2);
const storage = await PostgresStorage.connect(url, JSON.parse(options) as PostgresStorageOptions);
const study = await createStudy({ studyName, storage, loadIfExists: true, logger: () => {} });
const ms = mode.startsWith('slow:') ? Number(mode.slice(5)) : 60_000;
await study.optimize(
  async (trial) => {
    trial.suggestFloat('x', 0, 1);
    trial.suggestCategorical('k', ['a', 'b']);
    trial.report(0.5, 0);
    await trial.flush();
    process.stdout.write('running\n');
    await new Promise((r) => setTimeout(r, ms));
    return 1;
  },
  { nTrials: 1 },
);
await storage.close();
process.stdout.write('done\n');
