import type { ParamValue } from './distributions';
import type { FrozenTrial } from './frozen-trial';
import { TrialState } from './trial-state';

/**
 * Parameter importances, normalised to sum to 1: for each parameter, the share of the
 * objective's variance explained by that parameter alone (the correlation ratio η², i.e. the
 * first-order term of a functional ANOVA), estimated by grouping completed trials by category or
 * by quantile bin (up to 8 bins) of numeric values. Cheap and dependency-free; like fANOVA it
 * ranks what matters, but it ignores interactions.
 */
export function getParamImportances(trials: FrozenTrial[], options: { params?: string[] } = {}): Record<string, number> {
  const complete = trials.filter((t) => t.state === TrialState.COMPLETE && t.value !== null && Number.isFinite(t.value));
  const names = options.params ?? [...new Set(complete.flatMap((t) => Object.keys(t.params)))].sort();
  const raw: Record<string, number> = {};
  for (const name of names) {
    const rows = complete.filter((t) => name in t.params).map((t) => ({ x: t.params[name] as ParamValue, y: t.value as number }));
    if (rows.length < 3) {
      raw[name] = 0;
      continue;
    }
    const mean = rows.reduce((a, r) => a + r.y, 0) / rows.length;
    const total = rows.reduce((a, r) => a + (r.y - mean) ** 2, 0);
    if (total === 0) {
      raw[name] = 0;
      continue;
    }
    const groups = new Map<string, number[]>();
    const numeric = rows.every((r) => typeof r.x === 'number');
    const distinct = new Set(rows.map((r) => String(r.x))).size;
    if (numeric && distinct > 8) {
      const sorted = rows.map((r) => r.x as number).sort((a, b) => a - b);
      const edges = Array.from({ length: 7 }, (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / 8)]);
      for (const r of rows) {
        const bin = edges.filter((e) => (r.x as number) >= e).length;
        groups.set(String(bin), [...(groups.get(String(bin)) ?? []), r.y]);
      }
    } else {
      for (const r of rows) groups.set(String(r.x), [...(groups.get(String(r.x)) ?? []), r.y]);
    }
    let between = 0;
    for (const ys of groups.values()) {
      const m = ys.reduce((a, b) => a + b, 0) / ys.length;
      between += ys.length * (m - mean) ** 2;
    }
    raw[name] = between / total;
  }
  const sum = Object.values(raw).reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  for (const name of Object.keys(raw).sort((a, b) => raw[b] - raw[a])) out[name] = sum > 0 ? raw[name] / sum : 1 / Object.keys(raw).length;
  return out;
}
