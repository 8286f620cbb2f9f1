import { createHash } from 'node:crypto';
import { canonicalJson, recipeHash } from '@fmnist/trainer';
import type { Json, StagePlan } from './stage-definition';

/**
 * The identity of a plan (with what else decides its figures, such as environment knobs): sha256 of
 * the canonical JSON of its recipes' hashes and its steps, stable across key order and machines.
 * Any field of any recipe or step changes it.
 */
export function planHash(plan: StagePlan, extra: Record<string, Json> = {}): string {
  const recipes = Object.fromEntries(Object.entries(plan.recipes).map(([name, recipe]) => [name, recipeHash(recipe)]));
  return createHash('sha256')
    .update(canonicalJson({ recipes, steps: plan.steps, ...extra }))
    .digest('hex');
}
