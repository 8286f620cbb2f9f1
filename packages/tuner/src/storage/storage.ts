import type { Distribution } from '../distributions';
import type { FrozenTrial } from '../frozen-trial';
import type { StudyDirection, TrialState } from '../trial-state';

export interface StudySummary {
  studyId: number;
  studyName: string;
  directions: StudyDirection[];
  userAttrs: Record<string, unknown>;
  systemAttrs: Record<string, unknown>;
}

/** A trial to create from a template (enqueued or copied trials). */
export interface TrialTemplate {
  state?: TrialState;
  value?: number | null;
  values?: number[] | null;
  params?: Record<string, number>;
  distributions?: Record<string, Distribution>;
  userAttrs?: Record<string, unknown>;
  systemAttrs?: Record<string, unknown>;
  intermediateValues?: Record<number, number>;
}

/** Where studies live. Every method is async so storages can be remote (PostgreSQL). */
export interface Storage {
  createStudy(name: string, directions: StudyDirection[]): Promise<number>;
  deleteStudy(studyId: number): Promise<void>;
  getStudyIdFromName(name: string): Promise<number | undefined>;
  getAllStudies(): Promise<StudySummary[]>;
  setStudyUserAttr(studyId: number, key: string, value: unknown): Promise<void>;
  setStudySystemAttr(studyId: number, key: string, value: unknown): Promise<void>;
  /**
   * Creates a RUNNING trial (or one from a template). With `maxTrials`, atomically refuses
   * (returns undefined) once the study holds that many trials, so parallel workers stop exactly.
   */
  createTrial(studyId: number, template?: TrialTemplate, options?: { maxTrials?: number }): Promise<FrozenTrial | undefined>;
  /** Atomically claims the oldest WAITING trial (enqueued), making it RUNNING; undefined if none. */
  claimWaitingTrial(studyId: number): Promise<FrozenTrial | undefined>;
  setTrialParam(trialId: number, name: string, internal: number, distribution: Distribution): Promise<void>;
  setTrialStateValues(trialId: number, state: TrialState, values?: number[] | null): Promise<boolean>;
  setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void>;
  setTrialUserAttr(trialId: number, key: string, value: unknown): Promise<void>;
  setTrialSystemAttr(trialId: number, key: string, value: unknown): Promise<void>;
  getTrial(trialId: number): Promise<FrozenTrial>;
  getAllTrials(studyId: number): Promise<FrozenTrial[]>;
  /** Storages that detect dead workers keep a running trial alive with these. */
  startHeartbeat?(trialId: number): void;
  stopHeartbeat?(trialId: number): void;
  close?(): Promise<void>;
}
