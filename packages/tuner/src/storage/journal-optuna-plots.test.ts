import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIP_PYTHON_ENV, PYTHON, pipPythonHas, pipSkipNote } from '../../../core/src/test-utils/python';
import { createStudy } from '../create-study';
import { RandomSampler } from '../samplers/random-sampler';

// Optuna from Debian (python3-optuna), plotly from pip (FMNIST_PIP_EXTRA='plotly', as npm test asks).
const found = pipPythonHas('optuna') && pipPythonHas('plotly');

describe.runIf(found || process.env.CI)(`optuna.visualization opens a study our journal storage wrote${pipSkipNote(found, 'plotly')}`, () => {
  it('plots the optimization history with our values, and every other plot of the study', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'journal-plots-')), 'study.log');
    const study = await createStudy({
      studyName: 'viz',
      direction: 'minimize',
      storage: `journal:${path}`,
      sampler: new RandomSampler({ seed: 3 }),
      logger: () => {},
    });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat('x', -3, 3);
        const n = t.suggestInt('n', 1, 4);
        const k = t.suggestCategorical('k', ['a', 'b']);
        for (let step = 0; step < 3; step++) t.report(x * x + step, step);
        return x * x + n + (k === 'a' ? 0 : 1);
      },
      { nTrials: 8 },
    );
    const script = `
import json, sys, warnings, optuna
warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.WARNING)
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1]))
s = optuna.load_study(study_name="viz", storage=storage)
v = optuna.visualization
history = v.plot_optimization_history(s)
out = {"objective": list(history.data[0].y), "best": list(history.data[1].y),
       "intermediate": len(v.plot_intermediate_values(s).data)}
for name in ["plot_parallel_coordinate", "plot_contour", "plot_slice", "plot_edf"]:
    out[name] = len(getattr(v, name)(s).data)
print(json.dumps(out))`;
    const out = JSON.parse(execFileSync(PYTHON, ['-c', script, path], { encoding: 'utf8', env: PIP_PYTHON_ENV })) as Record<string, number | number[]>;
    const values = study.trials.map((t) => t.value);
    expect(out.objective).toEqual(values);
    expect(out.best).toEqual(values.map((_, i) => Math.min(...(values.slice(0, i + 1) as number[]))));
    expect(out.intermediate).toBe(8); // one curve per trial
    for (const plot of ['plot_parallel_coordinate', 'plot_contour', 'plot_slice', 'plot_edf']) expect(out[plot], plot).toBeGreaterThan(0);
  });
});
