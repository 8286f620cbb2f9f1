import { existsSync } from 'node:fs';
import { writeFileAtomic } from '@fmnist/core';
import { loadStudy, resolveStorage, TrialState } from '@fmnist/tuner';
import type { Command, Values } from '../command';
import { formatTable } from '@fmnist/core';
import { choice, str } from '../options';
import { UsageError } from '../usage-error';
import { studySummary } from './tune';

/** --storage of a command that only reads: a journal file that is not there is a typo, not a new study. */
function storageFlag(values: Values): string {
  const s = str(values, 'storage');
  if (!s) throw new UsageError('--storage is required (journal:PATH)');
  if (!/^postgres(ql)?:\/\//.test(s)) {
    const path = s.startsWith('journal:') ? s.slice('journal:'.length) : s;
    if (path && !existsSync(path)) throw new UsageError(`--storage: no journal file at ${path}`);
  }
  return s;
}

const list: Command = {
  path: ['study', 'list'],
  summary: 'Studies in a storage',
  usage: 'fmnist study list --storage journal:PATH [--json]',
  options: { storage: { type: 'string' } },
  async run({ values, io, json }) {
    const storage = await resolveStorage(storageFlag(values));
    const studies = await storage.getAllStudies();
    const rows = [];
    for (const s of studies) rows.push({ name: s.studyName, trials: (await storage.getAllTrials(s.studyId)).length, directions: s.directions });
    if (json) io.stdout(JSON.stringify({ studies: rows }));
    else
      io.stdout(
        formatTable(
          ['study', 'trials'],
          rows.map((r) => [r.name, r.trials]),
        ),
      );
  },
};

const show: Command = {
  path: ['study', 'show'],
  summary: 'Every trial of a study: state, value, params',
  usage: 'fmnist study show --study NAME --storage journal:PATH [--json]',
  options: { storage: { type: 'string' }, study: { type: 'string' } },
  async run({ values, io, json }) {
    const study = await loadStudy({ studyName: str(values, 'study', 'fmnist-stage4') as string, storage: storageFlag(values) });
    if (json) {
      io.stdout(JSON.stringify(study.toJSON()));
      return;
    }
    io.stdout(
      formatTable(
        ['#', 'state', 'value', 'params'],
        study.trials.map((t) => [t.number, TrialState[t.state], t.value === null ? '' : t.value.toFixed(4), JSON.stringify(t.params)]),
      ),
    );
  },
};

const best: Command = {
  path: ['study', 'best'],
  summary: 'The best trial of a study',
  usage: 'fmnist study best --study NAME --storage journal:PATH [--json]',
  options: { storage: { type: 'string' }, study: { type: 'string' } },
  async run({ values, io, json }) {
    const study = await loadStudy({ studyName: str(values, 'study', 'fmnist-stage4') as string, storage: storageFlag(values) });
    const summary = studySummary(study);
    if (json) io.stdout(JSON.stringify(summary));
    else io.stdout(`best trial ${summary.bestTrial}: value ${summary.bestValue}, params ${JSON.stringify(summary.bestParams)}`);
  },
};

const exportCommand: Command = {
  path: ['study', 'export'],
  summary: 'Export trials as CSV or JSON',
  usage: 'fmnist study export --study NAME --storage journal:PATH [--format csv|json] [--out FILE]',
  options: { storage: { type: 'string' }, study: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  async run({ values, io }) {
    const study = await loadStudy({ studyName: str(values, 'study', 'fmnist-stage4') as string, storage: storageFlag(values) });
    const text = choice(values, 'format', ['csv', 'json'] as const, 'csv') === 'csv' ? study.toCSV() : JSON.stringify(study.toJSON(), null, 2);
    const out = str(values, 'out');
    if (out) {
      writeFileAtomic(out, `${text}\n`);
      io.stdout(`wrote ${out}`);
    } else io.stdout(text);
  },
};

export const studyCommands: Command[] = [list, show, best, exportCommand];
