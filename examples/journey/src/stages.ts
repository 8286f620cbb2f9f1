import type { StageDefinition } from '@fmnist/example-stage-kit';
import { stage1 } from '@fmnist/example-stage-1-pipeline';
import { stage2 } from '@fmnist/example-stage-2-mlp-subset';
import { stage3 } from '@fmnist/example-stage-3-mlp-full';
import { stage4 } from '@fmnist/example-stage-4-tuning';
import { stage5 } from '@fmnist/example-stage-5-cnn';
import { stage6 } from '@fmnist/example-stage-6-vgg-transfer';
import { stage7 } from '@fmnist/example-stage-7-optimizers-profiling';

/** The journey's stages, in order. */
export const STAGES: readonly StageDefinition[] = [stage1, stage2, stage3, stage4, stage5, stage6, stage7];

/** The definition of stage `n`; an unknown stage is one error naming the flag. */
export function stageDefinition(n: number): StageDefinition {
  const found = STAGES.find((d) => d.stage === n);
  if (!found) throw new Error(`--stages: no stage ${n}; stages are 1 to ${STAGES.length}`);
  return found;
}
