import { describe, expect, it } from 'vitest';
import { FmnistError } from './fmnist-error';
import { TrialPruned } from './trial-pruned';

describe('TrialPruned', () => {
  it('is recognised by its own marker, not by other errors', () => {
    const pruned = new TrialPruned('Trial was pruned at epoch 2.');
    expect(TrialPruned.isInstance(pruned)).toBe(true);
    expect(FmnistError.isInstance(pruned)).toBe(true);
    expect(pruned.name).toBe('TrialPruned');
    expect(pruned.message).toBe('Trial was pruned at epoch 2.');
    expect(TrialPruned.isInstance(new FmnistError('other'))).toBe(false);
    expect(TrialPruned.isInstance(new Error('trial pruned'))).toBe(false);
    expect(new TrialPruned().message).toBe('trial pruned');
  });
});
