// Worker module for the multi-process test: a cheap objective that takes a little time.
import { RandomSampler } from '../samplers/random-sampler';
import type { Trial } from '../trial';

export async function objective(trial: Trial): Promise<number> {
  const x = trial.suggestFloat('x', -5, 5);
  const y = trial.suggestInt('y', 0, 10);
  for (let step = 0; step < 3; step++) trial.report(x * x + step, step);
  await new Promise((r) => setTimeout(r, 15));
  return (x - 1) ** 2 + (y - 3) ** 2;
}

export function createSampler(worker: number) {
  return new RandomSampler({ seed: 100 + worker });
}
