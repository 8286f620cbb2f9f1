import { describe, expect, it } from 'vitest';
import { runStage } from './run-stage';
import type { StageDefinition, StagePlan } from './stage-definition';

type Plan = StagePlan<{ loop: { epochs: number } }>;

/** A stage whose figures are its plan's epochs, so a test can tell which plan ran. */
const toy: StageDefinition<Plan> = {
  stage: 9,
  app: 'toy',
  reference: 0.5,
  target: 0.6,
  plan: (size) => ({ recipes: {}, steps: { loop: { epochs: size === 'quick' ? 1 : 6 } } }),
  run: async (plan) => ({
    model: 'toy',
    params: 1,
    epochs: plan.steps.loop.epochs,
    trainAccuracy: 0.5,
    valAccuracy: null,
    testAccuracy: plan.steps.loop.epochs / 10,
  }),
};

describe('runStage', () => {
  it('adds the definition: stage, app, reference, target, and met by the one rule', async () => {
    const quick = await runStage(toy, 'quick');
    expect(quick).toMatchObject({ stage: 9, app: 'toy', referenceAccuracy: 0.5, target: 0.6, testAccuracy: 0.1, met: false });
    expect(quick.seconds).toBeGreaterThanOrEqual(0);
    expect(await runStage(toy, 'full')).toMatchObject({ testAccuracy: 0.6, met: true });
  });

  it('runs the plan it is given (the one the journey hashed), not one made again', async () => {
    const plan = toy.plan('full');
    plan.steps.loop.epochs = 3;
    expect((await runStage(toy, 'full', {}, plan)).epochs).toBe(3);
  });
});
