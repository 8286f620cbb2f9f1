// Child for the dead-worker test: claims a trial, reports once, then hangs until killed.
import { createStudy } from '../create-study';
import { PostgresStorage } from '../storage/postgres-storage';

const [url, studyName] = process.argv.slice(2);
const storage = await PostgresStorage.connect(url, { heartbeatInterval: 0.2 });
const study = await createStudy({ studyName, storage, loadIfExists: true, logger: () => {} });
await study.optimize(
  async (trial) => {
    trial.suggestFloat('x', 0, 1);
    trial.suggestCategorical('k', ['a', 'b']);
    trial.report(0.5, 0);
    await trial.flush();
    process.stdout.write('running\n');
    await new Promise((r) => setTimeout(r, 60_000));
    return 1;
  },
  { nTrials: 1 },
);
