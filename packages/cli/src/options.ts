import type { Values } from './command';
import { UsageError } from './usage-error';

/** A string option, or the default. */
export function str(values: Values, name: string, fallback?: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : fallback;
}

/** An integer option within [min, max], with a clear error naming the flag. */
export function int(values: Values, name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const v = values[name];
  if (v === undefined) return fallback;
  // Decimal digits only: Number() would also take '', '0x10' and '1e3'.
  const n = typeof v === 'string' && /^[+-]?\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  if (typeof v !== 'string' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** A positive (or non-negative) number option. */
export function num(values: Values, name: string, fallback: number, min = 0, max = Number.POSITIVE_INFINITY): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--${name}: expected a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** One of a fixed set of choices. */
export function choice<T extends string>(values: Values, name: string, choices: readonly T[], fallback: T): T {
  const v = values[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !choices.includes(v as T)) {
    throw new UsageError(`--${name}: expected one of ${choices.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

/** A comma-separated list of integers, e.g. `--batch 1,64,1024`. */
export function intList(values: Values, name: string, fallback: number[]): number[] {
  const v = values[name];
  if (v === undefined) return fallback;
  const parts = String(v)
    .split(',')
    .map((p) => p.trim());
  const out = parts.map(Number);
  if (parts.some((p) => p === '') || out.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new UsageError(`--${name}: expected comma-separated positive integers, got ${JSON.stringify(v)}`);
  }
  return out;
}

/** A comma-separated list of words from a fixed set. */
export function wordList<T extends string>(values: Values, name: string, choices: readonly T[], fallback: T[]): T[] {
  const v = values[name];
  if (v === undefined) return fallback;
  const out = String(v)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const bad = out.filter((w) => !choices.includes(w as T));
  if (bad.length > 0 || out.length === 0) {
    throw new UsageError(`--${name}: expected a comma-separated list of ${choices.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return out as T[];
}
