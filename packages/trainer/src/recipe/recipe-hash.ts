import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** sha256 of the recipe's canonical JSON (hex): stable across key order, processes and machines. */
export function recipeHash(recipe: unknown): string {
  return createHash('sha256').update(canonicalJson(recipe)).digest('hex');
}
