import type { RunReport } from '@fmnist/trainer';

/** What every stage returns: a run's figures (stage 1 has no fit History), the stage, and extras. */
export type StageResult = Pick<RunReport, 'model' | 'params' | 'epochs' | 'seconds' | 'trainAccuracy' | 'valAccuracy' | 'testAccuracy'> &
  Partial<Pick<RunReport, 'gap' | 'history' | 'confusionMatrix' | 'mistakes'>> & {
    stage: number;
    app: string;
    referenceAccuracy: number;
    target: number;
    met: boolean;
    notes?: string;
    [extra: string]: unknown;
  };
