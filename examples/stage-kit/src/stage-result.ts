import type { RunReport } from '@fmnist/trainer';
import type { StageDefinition } from './stage-definition';

/** What a stage's run returns: a run's figures (stage 1 has no fit History) and the stage's extras. */
export type StageFigures = Pick<RunReport, 'model' | 'params' | 'epochs' | 'trainAccuracy' | 'valAccuracy' | 'testAccuracy'> &
  Partial<Pick<RunReport, 'seconds' | 'gap' | 'history' | 'confusionMatrix' | 'mistakes'>> & {
    notes?: string;
    [extra: string]: unknown;
  };

/** A stage's result as the journey records it: the figures, the stage, its reference, target and whether it was met. */
export type StageResult = StageFigures & {
  stage: number;
  app: string;
  seconds: number;
  referenceAccuracy: number;
  target: number;
  met: boolean;
};

/** The one rule for every stage: met when the test accuracy reaches the target. */
export function stageMet(definition: Pick<StageDefinition, 'target'>, testAccuracy: number): boolean {
  return testAccuracy >= definition.target;
}
