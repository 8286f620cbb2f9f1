import { deriveSeed } from '@fmnist/data';

/** A well-mixed 32-bit seed from a base seed and stream ids (the data pipeline's hash). */
export const mixSeed = deriveSeed;

/** The position of a dropout stream: a base seed and a call counter, saved in checkpoints for exact resume. */
export interface DropoutState {
  seed: number;
  calls: number;
}

/**
 * The random stream that draws dropout masks: mask k is seeded by mixSeed(seed, k). Each training
 * run attaches its own stream to its model (`setDropoutStream`), so two runs in one process (a
 * study with nJobs > 1) never draw from each other's stream.
 */
export class DropoutStream {
  seed: number;
  calls: number;

  constructor(seed = 0, calls = 0) {
    this.seed = seed >>> 0;
    this.calls = calls;
  }

  /** The seed of the next mask. */
  next(): number {
    return mixSeed(this.seed, this.calls++);
  }

  get state(): DropoutState {
    return { seed: this.seed, calls: this.calls };
  }
}

/**
 * The stream of SeededDropout layers that no run has claimed (a model applied outside `fit`).
 * One per process, kept on globalThis: the package's main and internal entries are separate
 * bundles, and both must see the same stream.
 */
const DEFAULT_STREAM = Symbol.for('@fmnist/models/default-dropout-stream');
const shared = globalThis as Record<symbol, DropoutStream | undefined>;
shared[DEFAULT_STREAM] ??= new DropoutStream();
export const defaultDropoutStream: DropoutStream = shared[DEFAULT_STREAM];

/** Reseeds the default stream (used by models that no `fit` has attached a stream to). */
export function seedDropout(seed: number, calls = 0): void {
  defaultDropoutStream.seed = seed >>> 0;
  defaultDropoutStream.calls = calls;
}
