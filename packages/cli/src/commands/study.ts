import { existsSync } from 'node:fs';
import { writeFileAtomic } from '@fmnist/core';
import { loadStudy, resolveStorage, TrialState } from '@fmnist/tuner';
import type { Command, OptionDef, Values } from '../command';
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

/** The study `--study` names, or the storage's only study; several without --study are refused, listed. */
async function studyName(values: Values, storage: string): Promise<string> {
  const given = str(values, 'study');
  if (given !== undefined) return given;
  const names = (await (await resolveStorage(storage)).getAllStudies()).map((s) => s.studyName);
  if (names.length === 1) return names[0];
  if (names.length === 0) throw new UsageError(`--storage ${storage} holds no study`);
  throw new UsageError(`--study is required: ${storage} holds ${names.length} studies: ${names.join(', ')}`);
}

/** The study a reading command names (its --study and --storage). */
async function studyFromFlags(values: Values) {
  const storage = storageFlag(values);
  return loadStudy({ studyName: await studyName(values, storage), storage });
}

const STORAGE_OPTION: OptionDef = { type: 'string', value: 'URL', description: 'the study storage: journal:PATH or postgresql://...', required: true };
const STUDY_OPTION: OptionDef = { type: 'string', value: 'NAME', description: 'the study', default: "the storage's only study" };

const list: Command = {
  path: ['study', 'list'],
  summary: 'Studies in a storage',
  options: { storage: STORAGE_OPTION },
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
  options: { study: STUDY_OPTION, storage: STORAGE_OPTION },
  async run({ values, io, json }) {
    const study = await studyFromFlags(values);
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
  options: { study: STUDY_OPTION, storage: STORAGE_OPTION },
  async run({ values, io, json }) {
    const summary = studySummary(await studyFromFlags(values));
    if (json) io.stdout(JSON.stringify(summary));
    else io.stdout(`best trial ${summary.bestTrial}: value ${summary.bestValue}, params ${JSON.stringify(summary.bestParams)}`);
  },
};

const exportCommand: Command = {
  path: ['study', 'export'],
  summary: 'Export trials as CSV or JSON',
  options: {
    study: STUDY_OPTION,
    storage: STORAGE_OPTION,
    format: { type: 'string', value: 'FORMAT', description: 'the file format', choices: ['csv', 'json'], default: 'csv' },
    out: { type: 'string', value: 'FILE', description: 'the file to write', default: 'stdout' },
  },
  async run({ values, io }) {
    const study = await studyFromFlags(values);
    const text = choice(values, 'format', ['csv', 'json'] as const, 'csv') === 'csv' ? study.toCSV() : JSON.stringify(study.toJSON(), null, 2);
    const out = str(values, 'out');
    if (out) {
      writeFileAtomic(out, `${text}\n`);
      io.stdout(`wrote ${out}`);
    } else io.stdout(text);
  },
};

export const studyCommands: Command[] = [list, show, best, exportCommand];
