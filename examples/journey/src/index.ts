export { journeyTable, type JourneyOptions, runJourney } from './journey';
export { reportHtml } from './report-html';
export type { StageResult } from './stage-result';
