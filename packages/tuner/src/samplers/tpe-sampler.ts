import { contains, type Distribution, type ParamValue, sameDistribution } from '../distributions';
import type { FrozenTrial } from '../frozen-trial';
import { lastIntermediate } from '../frozen-trial';
import { Rng } from '@fmnist/core';
import { TrialState } from '../trial-state';
import { ParzenEstimator } from './parzen-estimator';
import { sampleUniform } from './random-sampler';
import type { Sampler, StudyView } from './sampler';

export interface TPESamplerOptions {
  /** Random trials before TPE starts. Default 10. */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per suggestion. Default 24. */
  nEiCandidates?: number;
  /** Weight of the prior kernel. Default 1. */
  priorWeight?: number;
  /** Sample all parameters jointly (product kernels). Default false. */
  multivariate?: boolean;
  /** Treat running trials as bad observations, so parallel workers spread out. Default false. */
  constantLiar?: boolean;
  /** Size of the "good" group for n observations. Default min(ceil(0.1 n), 25). */
  gamma?: (n: number) => number;
  considerMagicClip?: boolean;
  considerEndpoints?: boolean;
  /** See ParzenOptions.scaleKernelDensity. Default false (Optuna 3.1's behaviour). */
  scaleKernelDensity?: boolean;
  seed?: number;
}

export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * Tree-structured Parzen Estimator (optuna.samplers.TPESampler, with Optuna's defaults): splits
 * finished trials into good and bad by value, models each with a Parzen estimator, and picks the
 * candidate from the good model with the best l(x)/g(x). Handles conditional spaces (each
 * parameter learns from the trials that have it) and parallel workers (constant liar).
 */
export class TPESampler implements Sampler {
  readonly options: Required<Omit<TPESamplerOptions, 'seed'>>;
  readonly rng: Rng;

  constructor(options: TPESamplerOptions = {}) {
    this.options = {
      nStartupTrials: options.nStartupTrials ?? 10,
      nEiCandidates: options.nEiCandidates ?? 24,
      priorWeight: options.priorWeight ?? 1,
      multivariate: options.multivariate ?? false,
      constantLiar: options.constantLiar ?? false,
      gamma: options.gamma ?? defaultGamma,
      considerMagicClip: options.considerMagicClip ?? true,
      considerEndpoints: options.considerEndpoints ?? false,
      scaleKernelDensity: options.scaleKernelDensity ?? false,
    };
    this.rng = new Rng(options.seed);
  }

  /** Finished (and, with constant liar, running) trials ranked best first, with the running ones last. */
  private rankedTrials(study: StudyView, current: FrozenTrial): FrozenTrial[] {
    const sign = study.directions[0] === 'maximize' ? -1 : 1;
    const order = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0);
    // ±Infinity ranks like any value (an infinite objective completes a trial, as in Optuna).
    const complete = study.trials.filter((t) => t.state === TrialState.COMPLETE && t.value !== null && !Number.isNaN(t.value));
    complete.sort((a, b) => order(sign * (a.value as number), sign * (b.value as number)));
    // Pruned trials rank after every complete one: deeper (more steps) and better ones first; a
    // NaN last value ranks last at its step (Optuna scores it +inf).
    const score = (v: number) => (Number.isNaN(v) ? Number.POSITIVE_INFINITY : sign * v);
    const pruned = study.trials.filter((t) => t.state === TrialState.PRUNED);
    pruned.sort((a, b) => {
      const la = lastIntermediate(a);
      const lb = lastIntermediate(b);
      if (!la || !lb) return la ? -1 : lb ? 1 : 0;
      return lb[0] - la[0] || order(score(la[1]), score(lb[1]));
    });
    const running = this.options.constantLiar ? study.trials.filter((t) => t.state === TrialState.RUNNING && t.trialId !== current.trialId) : [];
    return [...complete, ...pruned, ...running];
  }

  private finishedCount(study: StudyView): number {
    return study.trials.filter((t) => t.state === TrialState.COMPLETE || t.state === TrialState.PRUNED).length;
  }

  /** Splits into below (good) and above; `nComplete` fixes gamma on finished trials only. */
  private split(study: StudyView, current: FrozenTrial, names: string[]): { below: FrozenTrial[]; above: FrozenTrial[] } {
    const ranked = this.rankedTrials(study, current).filter((t) => names.every((n) => n in t.params));
    const nBelow = this.options.gamma(ranked.filter((t) => t.state !== TrialState.RUNNING).length);
    const byNumber = (a: FrozenTrial, b: FrozenTrial) => a.number - b.number;
    return { below: ranked.slice(0, nBelow).sort(byNumber), above: ranked.slice(nBelow).sort(byNumber) };
  }

  private sampleWithEstimators(study: StudyView, current: FrozenTrial, space: Record<string, Distribution>): Record<string, ParamValue> {
    const names = Object.keys(space);
    const { below, above } = this.split(study, current, names);
    const fit = (trials: FrozenTrial[]) =>
      new ParzenEstimator(
        space,
        trials.map((t) => Object.fromEntries(names.map((n) => [n, t.params[n]]))),
        space,
        {
          priorWeight: this.options.priorWeight,
          considerMagicClip: this.options.considerMagicClip,
          considerEndpoints: this.options.considerEndpoints,
          scaleKernelDensity: this.options.scaleKernelDensity,
        },
      );
    const l = fit(below);
    const g = fit(above);
    const candidates = l.sample(this.rng, this.options.nEiCandidates);
    const ll = l.logPdf(candidates);
    const lg = g.logPdf(candidates);
    let best = 0;
    for (let i = 1; i < candidates.length; i++) if (ll[i] - lg[i] > ll[best] - lg[best]) best = i;
    return candidates[best];
  }

  inferRelativeSearchSpace(study: StudyView): Record<string, Distribution> {
    if (!this.options.multivariate) return {};
    // The intersection of the spaces of all finished trials (Optuna's IntersectionSearchSpace).
    let space: Record<string, Distribution> | undefined;
    for (const t of study.trials) {
      if (t.state !== TrialState.COMPLETE && t.state !== TrialState.PRUNED) continue;
      if (!space) {
        space = { ...t.distributions };
        continue;
      }
      for (const name of Object.keys(space)) {
        if (!(name in t.distributions) || !sameDistribution(space[name], t.distributions[name])) delete space[name];
      }
    }
    return space ?? {};
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, space: Record<string, Distribution>): Record<string, ParamValue> {
    if (Object.keys(space).length === 0 || this.finishedCount(study) < this.options.nStartupTrials) return {};
    return this.sampleWithEstimators(study, trial, space);
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    if (this.finishedCount(study) < this.options.nStartupTrials) return sampleUniform(distribution, this.rng);
    // Only trials where this parameter had the same distribution teach us about it.
    const view: StudyView = {
      directions: study.directions,
      trials: study.trials.filter((t) => !(name in t.distributions) || sameDistribution(t.distributions[name], distribution)),
    };
    const value = this.sampleWithEstimators(view, trial, { [name]: distribution })[name];
    return contains(distribution, value) ? value : sampleUniform(distribution, this.rng);
  }
}
