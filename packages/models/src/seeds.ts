/** A well-mixed 32-bit seed from a base seed and stream ids. */
export function mixSeed(seed: number, ...parts: number[]): number {
  let h = (seed ^ 0x5bd1e995) >>> 0;
  for (const part of [...parts, parts.length]) {
    h = Math.imul(h ^ (part >>> 0), 0x9e3779b1) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
    h = Math.imul(h, 0x85ebca77) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return h;
}

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
