import { canonicalJson } from './canonical-json';

/**
 * The first field where two recipes differ, as a path (`fit.optimizer.lr`, `data.augment[1].p`),
 * or undefined when they are the same run. Fields are compared after defaults are filled.
 */
export function recipeDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = recipeDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    // A different `name` (another model, transform or schedule) is the difference to name first.
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort((x, y) => (x === 'name' ? -1 : y === 'name' ? 1 : x < y ? -1 : x > y ? 1 : 0));
    for (const k of keys) {
      const d = recipeDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return canonicalJson(a) === canonicalJson(b) ? undefined : path || '(the recipe)';
}

/** The value at a path `recipeDifference` returned (undefined where it is absent). */
export function valueAtPath(value: unknown, path: string): unknown {
  let at: unknown = value;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}
