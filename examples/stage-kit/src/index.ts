export { planHash } from './plan-hash';
export { runStage } from './run-stage';
export type { Json, StageDefinition, StagePlan, StageSize } from './stage-definition';
export { runStageRecipe, type StageFitOptions, stageProgress } from './stage-fit';
export type { StageHooks } from './stage-hooks';
export { type StageFigures, type StageResult, stageMet } from './stage-result';
export { stageMain } from './stage-main';
