import { MedianPruner } from './pruners/percentile-pruner';
import type { Pruner } from './pruners/pruner';
import type { Sampler } from './samplers/sampler';
import { TPESampler } from './samplers/tpe-sampler';
import type { Storage } from './storage/storage';
import { Study } from './study';
import { type Direction, fromStudyDirection, toStudyDirection } from './trial-state';
import { TunerError } from './tuner-error';

export type StorageLike = Storage | string;

/** Turns what the user passed as `storage` into a Storage (Node: paths and URLs; browsers: objects only). */
export type StorageResolver = (storage: StorageLike | undefined) => Promise<Storage>;

export interface CreateStudyOptions {
  /** Default: a generated name. */
  studyName?: string;
  /** Default 'minimize'. */
  direction?: Direction;
  /** Several objectives. */
  directions?: Direction[];
  /** Default TPESampler(). */
  sampler?: Sampler;
  /** Default MedianPruner(). */
  pruner?: Pruner;
  /** Default in memory. */
  storage?: StorageLike;
  /** Load the study if one of that name exists instead of failing. Default false. */
  loadIfExists?: boolean;
  /** Progress lines; default stderr. */
  logger?: (line: string) => void;
}

function checkDirections(directions: Direction[]): Direction[] {
  for (const d of directions)
    if (d !== 'minimize' && d !== 'maximize') throw new TunerError(`direction: expected 'minimize' or 'maximize', got ${JSON.stringify(d)}`);
  return directions;
}

/** createStudy, loadStudy and deleteStudy over a platform's storage resolver. */
export function studyFunctions(resolve: StorageResolver) {
  /** optuna.create_study. */
  async function createStudy(options: CreateStudyOptions = {}): Promise<Study> {
    if (options.direction && options.directions) throw new TunerError('give direction or directions, not both');
    const directions = checkDirections(options.directions ?? [options.direction ?? 'minimize']);
    const storage = await resolve(options.storage);
    const name = options.studyName ?? `no-name-${crypto.randomUUID()}`;
    let id = await storage.getStudyIdFromName(name);
    if (id !== undefined && !options.loadIfExists) {
      throw new TunerError(`a study named '${name}' already exists; pass loadIfExists: true (or --study another name) to use it`);
    }
    if (id === undefined) {
      try {
        id = await storage.createStudy(name, directions.map(toStudyDirection));
      } catch (error) {
        // Another worker created it at the same moment.
        id = await storage.getStudyIdFromName(name);
        if (id === undefined || !options.loadIfExists) throw error;
      }
    }
    const stored = (await storage.getAllStudies()).find((s) => s.studyId === id);
    const study = new Study(
      name,
      id,
      storage,
      stored ? stored.directions.map(fromStudyDirection) : directions,
      options.sampler ?? new TPESampler(),
      options.pruner ?? new MedianPruner(),
      options.logger,
    );
    await study.refresh();
    return study;
  }

  /** optuna.load_study. */
  async function loadStudy(options: {
    studyName: string;
    storage: StorageLike;
    sampler?: Sampler;
    pruner?: Pruner;
    logger?: (line: string) => void;
  }): Promise<Study> {
    const storage = await resolve(options.storage);
    const summary = (await storage.getAllStudies()).find((s) => s.studyName === options.studyName);
    if (!summary) {
      const names = (await storage.getAllStudies()).map((s) => s.studyName);
      throw new TunerError(
        `no study named '${options.studyName}' in this storage${names.length ? ` (studies: ${names.join(', ')})` : ' (it holds no studies)'}`,
      );
    }
    const study = new Study(
      summary.studyName,
      summary.studyId,
      storage,
      summary.directions.map(fromStudyDirection),
      options.sampler ?? new TPESampler(),
      options.pruner ?? new MedianPruner(),
      options.logger,
    );
    await study.refresh();
    return study;
  }

  /** optuna.delete_study. */
  async function deleteStudy(options: { studyName: string; storage: StorageLike }): Promise<void> {
    const storage = await resolve(options.storage);
    const id = await storage.getStudyIdFromName(options.studyName);
    if (id === undefined) throw new TunerError(`no study named '${options.studyName}'`);
    await storage.deleteStudy(id);
  }
  return { createStudy, loadStudy, deleteStudy };
}
