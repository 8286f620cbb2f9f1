import { CosineAnnealingLR, ExponentialLR, OneCycleLR, ReduceLROnPlateau, StepLR, type Callback } from '@fmnist/trainer';
import { UsageError } from './usage-error';

export const SCHEDULES = ['none', 'step', 'cosine', 'onecycle', 'plateau', 'exponential'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

/** `--schedule` -> a PyTorch-named scheduler for `epochs` epochs at base rate `lr`. */
export function scheduleCallback(name: string, epochs: number, lr: number): Callback | undefined {
  switch (name) {
    case 'none':
      return undefined;
    case 'step':
      return new StepLR({ stepSize: Math.max(1, Math.round(epochs / 3)), gamma: 0.1 });
    case 'cosine':
      return new CosineAnnealingLR({ tMax: epochs });
    case 'onecycle':
      return new OneCycleLR({ maxLr: lr * 4 });
    case 'plateau':
      return new ReduceLROnPlateau({ patience: 2, factor: 0.5 });
    case 'exponential':
      return new ExponentialLR({ gamma: 0.9 });
    default:
      throw new UsageError(`--schedule: expected one of ${SCHEDULES.join(', ')}, got ${JSON.stringify(name)}`);
  }
}
