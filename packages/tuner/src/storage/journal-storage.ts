import { distributionToJson, type Distribution } from '../distributions';
import type { FrozenTrial } from '../frozen-trial';
import { type StudyDirection, TrialState, trialStateToOptuna } from '../trial-state';
import { TunerError } from '../tuner-error';
import { type JournalBackend, MemoryJournalBackend } from './journal-backend';
import { JournalOperation, type JournalLog, JournalReplay } from './journal-replay';
import type { Storage, StudySummary, TrialTemplate } from './storage';

/** Python's datetime.now().isoformat(timespec="microseconds"): local time, no zone. */
export function pythonNow(): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`;
}

/** A deep copy of replayed state (plain data); structuredClone keeps NaN and ±Infinity, which JSON would turn into null. */
function clone<T>(v: T): T {
  return structuredClone(v);
}

/**
 * Optuna's JournalStorage: every change is an appended operation, and state is the replay of
 * the log. Over a file it is shared safely by several processes (ours and Python's).
 */
export class JournalStorage implements Storage {
  private readonly replay: JournalReplay;
  readonly workerId = `${crypto.randomUUID()}-0`;

  constructor(readonly backend: JournalBackend) {
    this.replay = new JournalReplay(this.workerId);
  }

  private sync(): void {
    this.replay.apply(this.backend.readLogs(this.replay.logsRead));
  }

  /** Appends logs (inside the lock) and replays; errors caused by our own logs are thrown. */
  private async write(op: JournalOperation, fields: Record<string, unknown>): Promise<void> {
    // Replayed within the lock, so a concurrent write of this process (nJobs) cannot take this one's error.
    const err = await this.backend.exclusive(() => {
      this.backend.appendLogs([{ op_code: op, worker_id: this.workerId, ...fields } as JournalLog]);
      this.replay.lastError = undefined;
      this.sync();
      const error = this.replay.lastError;
      this.replay.lastError = undefined;
      return error;
    });
    if (err) throw err;
  }

  async createStudy(name: string, directions: StudyDirection[]): Promise<number> {
    await this.write(JournalOperation.CREATE_STUDY, { study_name: name, directions });
    const id = await this.getStudyIdFromName(name);
    if (id === undefined) throw new TunerError(`study '${name}' was not created`);
    return id;
  }

  async deleteStudy(studyId: number): Promise<void> {
    await this.write(JournalOperation.DELETE_STUDY, { study_id: studyId });
  }

  async getStudyIdFromName(name: string): Promise<number | undefined> {
    this.sync();
    return [...this.replay.studies.values()].find((s) => s.studyName === name)?.studyId;
  }

  async getAllStudies(): Promise<StudySummary[]> {
    this.sync();
    return clone([...this.replay.studies.values()]);
  }

  async setStudyUserAttr(studyId: number, key: string, value: unknown): Promise<void> {
    await this.write(JournalOperation.SET_STUDY_USER_ATTR, { study_id: studyId, user_attr: { [key]: value } });
  }

  async setStudySystemAttr(studyId: number, key: string, value: unknown): Promise<void> {
    await this.write(JournalOperation.SET_STUDY_SYSTEM_ATTR, { study_id: studyId, system_attr: { [key]: value } });
  }

  async createTrial(studyId: number, template?: TrialTemplate, options: { maxTrials?: number } = {}): Promise<FrozenTrial | undefined> {
    const log: Record<string, unknown> = { study_id: studyId, datetime_start: pythonNow() };
    if (template) {
      const state = template.state ?? TrialState.RUNNING;
      log.state = trialStateToOptuna(state);
      if (template.values && template.values.length > 1) {
        log.value = null;
        log.values = template.values;
      } else {
        log.value = template.value ?? template.values?.[0] ?? null;
        log.values = null;
      }
      if (state === TrialState.WAITING) log.datetime_start = null;
      if (state === TrialState.COMPLETE || state === TrialState.PRUNED || state === TrialState.FAIL) log.datetime_complete = pythonNow();
      log.distributions = Object.fromEntries(Object.entries(template.distributions ?? {}).map(([k, d]) => [k, distributionToJson(d)]));
      log.params = template.params ?? {};
      log.user_attrs = template.userAttrs ?? {};
      log.system_attrs = template.systemAttrs ?? {};
      log.intermediate_values = template.intermediateValues ?? {};
    }
    const created = await this.backend.exclusive(() => {
      // Count and create under one lock, so workers never exceed maxTrials together.
      this.sync();
      if (options.maxTrials !== undefined) {
        const count = this.replay.trialsOf(studyId).filter((t) => t.state !== TrialState.WAITING).length;
        if (count >= options.maxTrials) return undefined;
      }
      this.backend.appendLogs([{ op_code: JournalOperation.CREATE_TRIAL, worker_id: this.workerId, ...log } as JournalLog]);
      // Replayed within the lock: another trial of this process (nJobs) created between the append
      // and the replay would otherwise take this one's place as the last trial we own.
      this.replay.lastError = undefined;
      this.replay.lastOwnedTrial = undefined;
      this.sync();
      return { id: this.replay.lastOwnedTrial, error: this.replay.lastError };
    });
    if (!created) return undefined;
    if (created.error) throw created.error;
    if (created.id === undefined) throw new TunerError(`study ${studyId}: trial was not created`);
    return clone(this.replay.trials.get(created.id) as FrozenTrial);
  }

  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | undefined> {
    const claimed = await this.backend.exclusive(() => {
      this.sync();
      const waiting = this.replay.trialsOf(studyId).find((t) => t.state === TrialState.WAITING);
      if (!waiting) return undefined;
      this.backend.appendLogs([
        {
          op_code: JournalOperation.SET_TRIAL_STATE_VALUES,
          worker_id: this.workerId,
          trial_id: waiting.trialId,
          state: trialStateToOptuna(TrialState.RUNNING),
          values: null,
          datetime_start: pythonNow(),
        } as JournalLog,
      ]);
      return waiting.trialId;
    });
    if (claimed === undefined) return undefined;
    this.sync();
    return clone(this.replay.trials.get(claimed) as FrozenTrial);
  }

  async setTrialParam(trialId: number, name: string, internal: number, distribution: Distribution): Promise<void> {
    await this.write(JournalOperation.SET_TRIAL_PARAM, {
      trial_id: trialId,
      param_name: name,
      param_value_internal: internal,
      distribution: distributionToJson(distribution),
    });
  }

  async setTrialStateValues(trialId: number, state: TrialState, values: number[] | null = null): Promise<boolean> {
    const log: Record<string, unknown> = { trial_id: trialId, state: trialStateToOptuna(state), values };
    if (state === TrialState.RUNNING) log.datetime_start = pythonNow();
    else if (state !== TrialState.WAITING) log.datetime_complete = pythonNow();
    await this.write(JournalOperation.SET_TRIAL_STATE_VALUES, log);
    return true;
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    await this.write(JournalOperation.SET_TRIAL_INTERMEDIATE_VALUE, { trial_id: trialId, step, intermediate_value: value });
  }

  async setTrialUserAttr(trialId: number, key: string, value: unknown): Promise<void> {
    await this.write(JournalOperation.SET_TRIAL_USER_ATTR, { trial_id: trialId, user_attr: { [key]: value } });
  }

  async setTrialSystemAttr(trialId: number, key: string, value: unknown): Promise<void> {
    await this.write(JournalOperation.SET_TRIAL_SYSTEM_ATTR, { trial_id: trialId, system_attr: { [key]: value } });
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    this.sync();
    const t = this.replay.trials.get(trialId);
    if (!t) throw new TunerError(`trial ${trialId} not found`);
    return clone(t);
  }

  async getAllTrials(studyId: number): Promise<FrozenTrial[]> {
    this.sync();
    return clone(this.replay.trialsOf(studyId));
  }
}

/** Studies in memory, for one process. */
export class InMemoryStorage extends JournalStorage {
  constructor() {
    super(new MemoryJournalBackend());
  }
}
