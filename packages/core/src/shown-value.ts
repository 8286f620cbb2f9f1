/**
 * A value as an option error shows it: JSON-like, so an array reads as an array (`[0.5]`, not
 * `0.5`), a string is quoted and called one (`"0.01" (a string)`), and NaN and Infinity read as
 * themselves (JSON would print null).
 */
export function shownValue(value: unknown): string {
  if (typeof value === 'string') return `${JSON.stringify(value)} (a string)`;
  return shown(value, 0);
}

function shown(value: unknown, depth: number): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || value === undefined || value === null) return String(value);
  if (typeof value === 'function' || typeof value === 'symbol') return `a ${typeof value}`;
  if (depth > 4) return '...';
  if (Array.isArray(value)) return `[${value.map((v) => shown(v, depth + 1)).join(',')}]`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  const entries = Object.entries(value as object).map(([k, v]) => `${JSON.stringify(k)}:${shown(v, depth + 1)}`);
  return `{${entries.join(',')}}`;
}
