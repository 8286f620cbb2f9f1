import { describe, expect, it } from 'vitest';
import { deriveSeed, Rng } from './rng';

describe('Rng', () => {
  it('repeats its sequence for a seed, and restores a saved state', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const seq = Array.from({ length: 5 }, () => a.random());
    expect(Array.from({ length: 5 }, () => b.random())).toEqual(seq);
    const state = a.getState();
    const next = a.nextUint32();
    const c = new Rng(1);
    c.setState(state);
    expect(c.nextUint32()).toBe(next);
    expect(() => c.setState([1])).toThrow(/expected 4 numbers/);
  });

  it('draws integers in [low, high], choices by weight, and shuffles', () => {
    const rng = new Rng(3);
    const ints = Array.from({ length: 2000 }, () => rng.int(2, 4));
    expect(new Set(ints)).toEqual(new Set([2, 3, 4]));
    const picks = Array.from({ length: 4000 }, () => rng.choice([1, 3, 0]));
    expect(picks.includes(2)).toBe(false);
    expect(picks.filter((p) => p === 1).length / picks.length).toBeGreaterThan(0.7);
    expect(rng.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(1, 3));
    expect(deriveSeed(1, 2)).toBe(deriveSeed(1, 2));
  });
});
