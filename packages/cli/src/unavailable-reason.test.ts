import { describe, expect, it } from 'vitest';
import { unavailableReason } from './unavailable-reason';

describe('unavailableReason', () => {
  it('strips the leading "backend NAME is not available: " and keeps the first line', () => {
    expect(unavailableReason('webgpu', new Error('backend webgpu is not available: no adapter (npm i webgpu)\nstack'))).toBe('no adapter (npm i webgpu)');
  });

  it('keeps a message that names another backend or has no such prefix', () => {
    expect(unavailableReason('webgpu', new Error('backend wasm is not available: x'))).toBe('backend wasm is not available: x');
    expect(unavailableReason('cpu', 'boom')).toBe('boom');
  });
});
