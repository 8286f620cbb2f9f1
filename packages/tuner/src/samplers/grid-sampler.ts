import { type CategoricalChoice, contains, type Distribution, type ParamValue } from '../distributions';
import type { FrozenTrial } from '../frozen-trial';
import { Rng } from '@fmnist/core';
import { TunerError } from '../tuner-error';
import type { Sampler, StudyView } from './sampler';

/**
 * optuna.samplers.GridSampler: every combination of the given values once, in a seeded random
 * order; the study stops when the grid is used up.
 */
export class GridSampler implements Sampler {
  readonly searchSpace: Record<string, CategoricalChoice[]>;
  readonly gridSize: number;
  private readonly names: string[];
  private readonly rng: Rng;

  constructor(searchSpace: Record<string, CategoricalChoice[]>, options: { seed?: number } = {}) {
    this.names = Object.keys(searchSpace).sort();
    for (const n of this.names) if (searchSpace[n].length === 0) throw new TunerError(`GridSampler: ${n} has no values`);
    this.searchSpace = searchSpace;
    this.gridSize = this.names.reduce((a, n) => a * searchSpace[n].length, 1);
    this.rng = new Rng(options.seed);
  }

  private gridPoint(id: number): Record<string, CategoricalChoice> {
    const out: Record<string, CategoricalChoice> = {};
    let rest = id;
    for (const n of this.names) {
      const values = this.searchSpace[n];
      out[n] = values[rest % values.length];
      rest = Math.floor(rest / values.length);
    }
    return out;
  }

  private usedIds(study: StudyView, except?: FrozenTrial): Set<number> {
    return new Set(study.trials.filter((t) => t !== except && typeof t.systemAttrs.grid_id === 'number').map((t) => t.systemAttrs.grid_id as number));
  }

  inferRelativeSearchSpace(): Record<string, Distribution> {
    return {};
  }

  sampleRelative(): Record<string, ParamValue> {
    return {};
  }

  /** Picks this trial's grid point (stored in its system attrs as grid_id, as Optuna does). */
  assign(study: StudyView, trial: FrozenTrial): number {
    if (typeof trial.systemAttrs.grid_id === 'number') return trial.systemAttrs.grid_id;
    const used = this.usedIds(study, trial);
    const free = Array.from({ length: this.gridSize }, (_, i) => i).filter((i) => !used.has(i));
    // When all are taken (parallel workers), repeat one, as Optuna does.
    const id = free.length ? free[this.rng.int(0, free.length - 1)] : this.rng.int(0, this.gridSize - 1);
    trial.systemAttrs.grid_id = id;
    return id;
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    if (!(name in this.searchSpace)) throw new TunerError(`GridSampler: parameter ${name} is not in the grid (${this.names.join(', ')})`);
    const value = this.gridPoint(this.assign(study, trial))[name];
    if (!contains(distribution, value)) throw new TunerError(`GridSampler: grid value ${JSON.stringify(value)} of ${name} is outside its distribution`);
    return value;
  }

  isExhausted(study: StudyView): boolean {
    return this.usedIds(study).size >= this.gridSize;
  }
}
