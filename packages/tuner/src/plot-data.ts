import type { ParamValue } from './distributions';
import type { FrozenTrial } from './frozen-trial';
import { getParamImportances } from './importance';
import { type Direction, TrialState } from './trial-state';

export interface PlotData {
  /** Optimisation history: each completed trial's value and the best so far. */
  history: { number: number; value: number; best: number }[];
  /** Parallel coordinates: one row per completed trial. */
  parallelCoordinates: { params: string[]; rows: { number: number; value: number; params: Record<string, ParamValue> }[] };
  importances: Record<string, number>;
  /** Learning curves reported by each trial, with its final state. */
  intermediateValues: { number: number; state: string; steps: [number, number][] }[];
}

/** The data behind Optuna's standard plots, ready for a chart library or our report. */
export function plotData(trials: FrozenTrial[], direction: Direction): PlotData {
  const complete = trials.filter((t) => t.state === TrialState.COMPLETE && t.value !== null);
  let best = direction === 'maximize' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  const history = complete.map((t) => {
    const v = t.value as number;
    best = direction === 'maximize' ? Math.max(best, v) : Math.min(best, v);
    return { number: t.number, value: v, best };
  });
  const params = [...new Set(complete.flatMap((t) => Object.keys(t.params)))].sort();
  return {
    history,
    parallelCoordinates: { params, rows: complete.map((t) => ({ number: t.number, value: t.value as number, params: t.params })) },
    importances: getParamImportances(trials),
    intermediateValues: trials
      .filter((t) => Object.keys(t.intermediateValues).length > 0)
      .map((t) => ({
        number: t.number,
        state: t.state,
        steps: Object.entries(t.intermediateValues)
          .map(([s, v]) => [Number(s), v] as [number, number])
          .sort((a, b) => a[0] - b[0]),
      })),
  };
}
