import type { StageDefinition, StagePlan, StageSize } from './stage-definition';
import type { StageHooks } from './stage-hooks';
import { type StageResult, stageMet } from './stage-result';

/** Runs a stage's plan (by default its plan at `size`) and gives the result with its reference, target and `met` (`stageMet`). */
export async function runStage<Plan extends StagePlan>(
  definition: StageDefinition<Plan>,
  size: StageSize,
  hooks: StageHooks = {},
  plan: Plan = definition.plan(size),
): Promise<StageResult> {
  const started = performance.now();
  const figures = await definition.run(plan, hooks);
  return {
    stage: definition.stage,
    app: definition.app,
    ...figures,
    seconds: figures.seconds ?? (performance.now() - started) / 1000,
    referenceAccuracy: definition.reference,
    target: definition.target,
    met: stageMet(definition, figures.testAccuracy),
  };
}
