export { journeyTable, type JourneyOptions, runJourney } from './journey';
export { reportHtml } from './report-html';
export type { StageResult } from '@fmnist/example-stage-kit';
export { STAGES, stageDefinition } from './stages';
