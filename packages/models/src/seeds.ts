import { deriveSeed } from '@fmnist/data';

/** A well-mixed 32-bit seed from a base seed and stream ids (the data pipeline's hash). */
export const mixSeed = deriveSeed;

/** The dropout random stream: a base seed and a call counter, saved in checkpoints for exact resume. */
export interface DropoutState {
  seed: number;
  calls: number;
}

const state: DropoutState = { seed: 0, calls: 0 };

/** Seeds every SeededDropout layer of this process (the trainer calls it with the run's seed). */
export function seedDropout(seed: number, calls = 0): void {
  state.seed = seed >>> 0;
  state.calls = calls;
}

export function getDropoutState(): DropoutState {
  return { ...state };
}

/** The seed of the next dropout mask. */
export function nextDropoutSeed(): number {
  return mixSeed(state.seed, state.calls++);
}
