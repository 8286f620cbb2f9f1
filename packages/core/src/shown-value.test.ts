import { describe, expect, it } from 'vitest';
import * as browser from './browser';
import { shownValue } from './shown-value';

describe('shownValue', () => {
  it('shows arrays as arrays, strings as strings, and NaN and Infinity as themselves', () => {
    expect(browser.shownValue).toBe(shownValue);
    expect(shownValue([0.5])).toBe('[0.5]');
    expect(shownValue([10, 5])).toBe('[10,5]');
    expect(shownValue('0.01')).toBe('"0.01" (a string)');
    expect(shownValue([0.9, '0.999'])).toBe('[0.9,"0.999"]');
    expect(shownValue(Number.NaN)).toBe('NaN');
    expect(shownValue([Number.POSITIVE_INFINITY, -1])).toBe('[Infinity,-1]');
    expect(shownValue({ mean: 0.3, std: [1, 0] })).toBe('{"mean":0.3,"std":[1,0]}');
    expect(shownValue(undefined)).toBe('undefined');
    expect(shownValue(true)).toBe('true');
  });
});
