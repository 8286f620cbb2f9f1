// The seeded generator lives in @fmnist/core (the tuner's samplers draw from the same one).
export { deriveSeed, Rng } from '@fmnist/core';
