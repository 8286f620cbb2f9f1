import { distributionFromJson, distributionToJson, toExternal } from '../distributions';
import type { FrozenTrial } from '../frozen-trial';
import { isFinished, type StudyDirection, TrialState, trialStateFromOptuna } from '../trial-state';
import { TunerError } from '../tuner-error';
import type { StudySummary } from './storage';

/** Optuna's journal op codes. */
export enum JournalOperation {
  CREATE_STUDY = 0,
  DELETE_STUDY = 1,
  SET_STUDY_USER_ATTR = 2,
  SET_STUDY_SYSTEM_ATTR = 3,
  CREATE_TRIAL = 4,
  SET_TRIAL_PARAM = 5,
  SET_TRIAL_STATE_VALUES = 6,
  SET_TRIAL_INTERMEDIATE_VALUE = 7,
  SET_TRIAL_USER_ATTR = 8,
  SET_TRIAL_SYSTEM_ATTR = 9,
}

export type JournalLog = { op_code: JournalOperation; worker_id: string } & Record<string, unknown>;

/**
 * Rebuilds studies and trials from journal logs with the same rules as Optuna 3.x's
 * JournalStorageReplayResult (ids by creation order, conflicting or late updates ignored).
 */
export class JournalReplay {
  readonly studies = new Map<number, StudySummary>();
  readonly trials = new Map<number, FrozenTrial>();
  readonly studyTrials = new Map<number, number[]>();
  private readonly trialStudy = new Map<number, number>();
  private nextStudyId = 0;
  private nextTrialId = 0;
  logsRead = 0;
  /** Trial created or claimed by the last log this worker wrote. */
  lastOwnedTrial: number | undefined;
  lastError: Error | undefined;

  constructor(private readonly workerId: string) {}

  private mine(log: JournalLog): boolean {
    return log.worker_id === this.workerId;
  }

  private fail(log: JournalLog, message: string): void {
    if (this.mine(log)) this.lastError = new TunerError(message);
  }

  private updatable(trialId: number, log: JournalLog): FrozenTrial | undefined {
    const t = this.trials.get(trialId);
    if (!t) {
      this.fail(log, `trial ${trialId} not found`);
      return undefined;
    }
    if (isFinished(t.state)) {
      this.fail(log, `trial #${t.number} has already finished and can not be updated`);
      return undefined;
    }
    return t;
  }

  apply(logs: JournalLog[]): void {
    for (const log of logs) {
      this.logsRead++;
      switch (log.op_code) {
        case JournalOperation.CREATE_STUDY: {
          const name = log.study_name as string;
          if ([...this.studies.values()].some((s) => s.studyName === name)) {
            this.fail(log, `a study named '${name}' already exists (use loadIfExists)`);
            break;
          }
          const id = this.nextStudyId++;
          this.studies.set(id, { studyId: id, studyName: name, directions: log.directions as StudyDirection[], userAttrs: {}, systemAttrs: {} });
          this.studyTrials.set(id, []);
          break;
        }
        case JournalOperation.DELETE_STUDY: {
          const id = log.study_id as number;
          if (!this.studies.has(id)) this.fail(log, `study ${id} not found`);
          this.studies.delete(id);
          break;
        }
        case JournalOperation.SET_STUDY_USER_ATTR:
        case JournalOperation.SET_STUDY_SYSTEM_ATTR: {
          const s = this.studies.get(log.study_id as number);
          if (!s) break;
          if (log.op_code === JournalOperation.SET_STUDY_USER_ATTR) Object.assign(s.userAttrs, log.user_attr);
          else Object.assign(s.systemAttrs, log.system_attr);
          break;
        }
        case JournalOperation.CREATE_TRIAL: {
          const studyId = log.study_id as number;
          if (!this.studies.has(studyId)) {
            this.fail(log, `study ${studyId} not found`);
            break;
          }
          const id = this.nextTrialId++;
          const distributions = Object.fromEntries(
            Object.entries((log.distributions as Record<string, string>) ?? {}).map(([k, v]) => [k, distributionFromJson(v)]),
          );
          const params = Object.fromEntries(Object.entries((log.params as Record<string, number>) ?? {}).map(([k, v]) => [k, toExternal(distributions[k], v)]));
          const list = this.studyTrials.get(studyId) as number[];
          const trial: FrozenTrial = {
            trialId: id,
            number: list.length,
            state: log.state === undefined ? TrialState.RUNNING : trialStateFromOptuna(log.state),
            value: (log.value as number | null | undefined) ?? null,
            values: (log.values as number[] | null | undefined) ?? null,
            params,
            distributions,
            userAttrs: { ...((log.user_attrs as Record<string, unknown>) ?? {}) },
            systemAttrs: { ...((log.system_attrs as Record<string, unknown>) ?? {}) },
            intermediateValues: Object.fromEntries(Object.entries((log.intermediate_values as Record<string, number>) ?? {}).map(([k, v]) => [Number(k), v])),
            datetimeStart: (log.datetime_start as string | null) ?? null,
            datetimeComplete: (log.datetime_complete as string | undefined) ?? null,
          };
          if (trial.values && trial.values.length === 1) trial.value = trial.values[0];
          if (trial.value !== null && !trial.values) trial.values = [trial.value];
          this.trials.set(id, trial);
          list.push(id);
          this.trialStudy.set(id, studyId);
          if (this.mine(log)) this.lastOwnedTrial = id;
          break;
        }
        case JournalOperation.SET_TRIAL_PARAM: {
          const t = this.updatable(log.trial_id as number, log);
          if (!t) break;
          const name = log.param_name as string;
          const dist = distributionFromJson(log.distribution as string);
          // A parameter keeps one distribution within a study (Optuna's compatibility check).
          const studyId = this.trialStudy.get(t.trialId) as number;
          const prior = (this.studyTrials.get(studyId) ?? []).map((i) => this.trials.get(i) as FrozenTrial).find((p) => name in p.distributions);
          if (prior && prior.distributions[name].kind !== dist.kind) {
            this.fail(log, `parameter ${name} was ${prior.distributions[name].kind} in an earlier trial, now ${dist.kind}`);
            break;
          }
          t.params = { ...t.params, [name]: toExternal(dist, log.param_value_internal as number) };
          t.distributions = { ...t.distributions, [name]: dist };
          break;
        }
        case JournalOperation.SET_TRIAL_STATE_VALUES: {
          const t = this.updatable(log.trial_id as number, log);
          if (!t) break;
          const state = trialStateFromOptuna(log.state);
          if (state === TrialState.RUNNING && t.state === TrialState.RUNNING) break; // someone claimed it first
          if (state === TrialState.RUNNING) {
            t.datetimeStart = log.datetime_start as string;
            if (this.mine(log)) this.lastOwnedTrial = t.trialId;
          }
          if (isFinished(state)) t.datetimeComplete = log.datetime_complete as string;
          t.state = state;
          const values = log.values as number[] | null;
          if (values) {
            t.values = values;
            t.value = values.length === 1 ? values[0] : null;
          }
          break;
        }
        case JournalOperation.SET_TRIAL_INTERMEDIATE_VALUE: {
          const t = this.updatable(log.trial_id as number, log);
          if (t) t.intermediateValues = { ...t.intermediateValues, [log.step as number]: log.intermediate_value as number };
          break;
        }
        case JournalOperation.SET_TRIAL_USER_ATTR:
        case JournalOperation.SET_TRIAL_SYSTEM_ATTR: {
          const t = this.updatable(log.trial_id as number, log);
          if (!t) break;
          if (log.op_code === JournalOperation.SET_TRIAL_USER_ATTR) t.userAttrs = { ...t.userAttrs, ...(log.user_attr as object) };
          else t.systemAttrs = { ...t.systemAttrs, ...(log.system_attr as object) };
          break;
        }
        default:
          throw new TunerError(`unknown journal op_code ${String(log.op_code)}`);
      }
    }
  }

  trialsOf(studyId: number): FrozenTrial[] {
    const ids = this.studyTrials.get(studyId);
    if (!ids || !this.studies.has(studyId)) throw new TunerError(`study ${studyId} not found`);
    return ids.map((i) => this.trials.get(i) as FrozenTrial);
  }
}

export { distributionToJson };
