import type { TrainRecipeInput } from '@fmnist/trainer';

export const SCHEDULES = ['none', 'step', 'cosine', 'onecycle', 'plateau', 'exponential'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

/** A PyTorch scheduler as the recipe names it (the recipe fills its defaults). */
export type ScheduleInput = NonNullable<TrainRecipeInput['fit']['schedule']>;

/** `--schedule NAME` as the recipe's PyTorch scheduler for `epochs` epochs at base rate `lr`. */
export function scheduleFromFlag(name: ScheduleName, epochs: number, lr: number): ScheduleInput | undefined {
  switch (name) {
    case 'none':
      return undefined;
    case 'step':
      return { name: 'StepLR', stepSize: Math.max(1, Math.round(epochs / 3)), gamma: 0.1 };
    case 'cosine':
      // No tMax: it is the run's epochs, so raising --epochs on resume is another run.
      return { name: 'CosineAnnealingLR' };
    case 'onecycle':
      return { name: 'OneCycleLR', maxLr: lr * 4 };
    case 'plateau':
      return { name: 'ReduceLROnPlateau', monitor: 'val_loss', patience: 2, factor: 0.5 };
    case 'exponential':
      return { name: 'ExponentialLR', gamma: 0.9 };
  }
}
