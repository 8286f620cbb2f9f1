import type { Callback } from '@fmnist/trainer';

/** What the journey (or a stage's own app) passes a stage: nothing here changes a figure. */
export interface StageHooks {
  /** Progress and result lines. Default `console.log`. */
  log?: (line: string) => void;
  /** Progress within epochs as a live line on stderr (a terminal). Default false: plain lines through `log` every 30 s. */
  live?: boolean;
  /** Where a stage keeps files of its own (stage 4's study journal). Default reports/journey. */
  outDir?: string;
  /** Continue what a stopped run left (stage 4's journal); else leftovers are removed first. Default false. */
  resume?: boolean;
  /** Extra callbacks for each of the stage's fits, by fit name (the journey's epoch backups, a test's kill switch). */
  fitCallbacks?: (fit: string) => Callback[];
}
