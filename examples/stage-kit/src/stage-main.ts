import { runStage } from './run-stage';
import type { StageDefinition, StagePlan, StageSize } from './stage-definition';

/** A stage's own app: `--quick` or `--long` picks the budget; prints the result's headline as one JSON line. */
export async function stageMain<Plan extends StagePlan>(definition: StageDefinition<Plan>, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const size: StageSize = argv.includes('--quick') ? 'quick' : argv.includes('--long') ? 'long' : 'full';
  const r = await runStage(definition, size);
  console.log(JSON.stringify({ stage: r.stage, testAccuracy: r.testAccuracy, referenceAccuracy: r.referenceAccuracy, target: r.target, met: r.met }));
}
