import { formatTable } from '@fmnist/core';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@fmnist/backend';
import { writeFileAtomic } from '@fmnist/core';
import { loadFashionMnist } from '@fmnist/data';
import { runStage, type StageResult, type StageSize } from '@fmnist/example-stage-kit';
import { backupsDir, journeyCallbacks, type StageConfig, stageConfig } from './journey-resume';
import { reportHtml } from './report-html';
import { stageDefinition } from './stages';
import { imagesPerSecond, machineInfo } from './machine-info';

export interface JourneyOptions {
  quick?: boolean;
  /** Stages to run. Default all. */
  stages?: number[];
  /** Default reports/journey. */
  outDir?: string;
  log?: (line: string) => void;
  /**
   * Skip stages whose stage-N.json holds a result of the same configuration, and continue a
   * stage that was stopped from its fits' last epoch backups (and stage 4's study journal).
   * Default false: every stage runs afresh.
   */
  resume?: boolean;
  /** Progress within epochs as a live line on stderr. Default: stderr is a terminal. */
  live?: boolean;
  /** Stage 6's long schedule, for the original's >95% claim (hours on 2 cores). Default false. */
  long?: boolean;
}

const SUMMARY_KEYS = [
  'stage',
  'app',
  'model',
  'params',
  'epochs',
  'seconds',
  'trainAccuracy',
  'valAccuracy',
  'testAccuracy',
  'referenceAccuracy',
  'target',
  'met',
] as const;

/** Runs the stages in order, prints one table, writes summary.json, stage-N.json and index.html. */
export async function runJourney(options: JourneyOptions = {}): Promise<StageResult[]> {
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const outDir = options.outDir ?? join(process.cwd(), 'reports', 'journey');
  mkdirSync(outDir, { recursive: true });
  const stages = options.stages ?? [1, 2, 3, 4, 5, 6, 7];
  for (const s of stages) stageDefinition(s); // an unknown stage is refused before anything runs
  const size: StageSize = options.quick ? 'quick' : options.long ? 'long' : 'full';
  const backend = await initBackend();
  const machine = machineInfo(backend);
  log(`journey: stages ${stages.join(', ')}${options.quick ? ' (quick)' : ''}${options.long ? ' (stage 6 long)' : ''} on ${backend.name}; report in ${outDir}`);
  const started = performance.now();
  const results: StageResult[] = [];
  const test = await loadFashionMnist({ split: 'test' });
  const write = () => {
    writeFileAtomic(
      join(outDir, 'summary.json'),
      `${JSON.stringify(
        {
          quick: options.quick === true,
          backend: backend.name,
          machine,
          seconds: (performance.now() - started) / 1000,
          stages: results.map((r) => ({ ...Object.fromEntries(SUMMARY_KEYS.map((k) => [k, r[k] ?? null])), imagesPerSecond: imagesPerSecond(r.history) })),
        },
        null,
        2,
      )}\n`,
    );
    writeFileAtomic(
      join(outDir, 'index.html'),
      reportHtml(results, test, {
        quick: options.quick === true,
        machine,
        seconds: (performance.now() - started) / 1000,
        date: new Date().toISOString(),
      }),
    );
  };
  for (const s of stages) {
    const t0 = performance.now();
    const definition = stageDefinition(s);
    // The plan is made once: the configuration hashed is the one that runs.
    const plan = definition.plan(size);
    const config = stageConfig(s, plan);
    const file = join(outDir, `stage-${s}.json`);
    const backups = backupsDir(outDir, config);
    if (options.resume && existsSync(file)) {
      const done = JSON.parse(readFileSync(file, 'utf8')) as StageResult & { config?: { hash?: string } };
      if (done.config?.hash === config.hash) {
        log(`stage ${s}: done earlier with the same configuration (${file}); skipped`);
        results.push(done);
        write();
        continue;
      }
      log(`stage ${s}: ${file} was made with another configuration; running it again`);
    }
    // A fresh stage never continues an old one's backups; a resumed one continues its own.
    if (!options.resume) rmSync(backups, { recursive: true, force: true });
    const hooks = {
      log,
      outDir,
      resume: options.resume === true,
      live: options.live ?? (process.stderr.isTTY === true && !options.log),
      fitCallbacks: (fit: string) => journeyCallbacks(s, fit, backups),
    };
    const result: StageResult & { config?: StageConfig } = await runStage(definition, size, hooks, plan);
    result.config = config;
    results.push(result);
    writeFileAtomic(file, `${JSON.stringify(result)}\n`);
    rmSync(backups, { recursive: true, force: true });
    write(); // the report grows as stages finish, so a long run can be watched
    log(
      `stage ${s} done in ${((performance.now() - t0) / 1000).toFixed(0)} s: test ${(result.testAccuracy * 100).toFixed(2)}% (target ${(result.target * 100).toFixed(1)}%) ${result.met ? 'met' : 'NOT met'}`,
    );
  }
  return results;
}

/** The console table of a journey. */
export function journeyTable(results: StageResult[]): string {
  const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(2)}%`);
  const rows = results.map((r) => [
    String(r.stage),
    r.model,
    r.params.toLocaleString('en-US'),
    String(r.epochs),
    `${r.seconds.toFixed(0)}s`,
    pct(r.trainAccuracy),
    pct(r.valAccuracy),
    pct(r.testAccuracy),
    r.gap === null || r.gap === undefined ? '-' : `${(r.gap * 100).toFixed(1)}`,
    pct(r.referenceAccuracy),
    r.met ? 'yes' : 'NO',
  ]);
  const header = ['stage', 'model', 'params', 'epochs', 'time', 'train', 'val', 'test', 'gap pts', 'reference', 'met'];
  return formatTable(header, rows, { align: header.map((_, i) => (i === 1 ? 'left' : 'right')) });
}
