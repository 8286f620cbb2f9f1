/** What every stage returns (plus stage-specific extras), as summary.json reports it. */
export interface StageResult {
  stage: number;
  app: string;
  model: string;
  params: number;
  epochs: number;
  seconds: number;
  trainAccuracy: number | null;
  valAccuracy: number | null;
  testAccuracy: number;
  referenceAccuracy: number;
  target: number;
  met: boolean;
  gap?: number | null;
  history?: Record<string, number>[];
  confusionMatrix?: number[][];
  mistakes?: { index: number; label: number; predicted: number }[];
  notes?: string;
  [extra: string]: unknown;
}
