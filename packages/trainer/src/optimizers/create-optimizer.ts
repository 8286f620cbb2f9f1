import { TrainerError } from '../trainer-error';
import { Adam, AdamW } from './adam';
import type { Optimizer } from './optimizer';
import { RMSprop } from './rmsprop';
import { SGD } from './sgd';

export const OPTIMIZER_NAMES = ['sgd', 'adam', 'adamw', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export interface OptimizerConfig {
  name: OptimizerName;
  lr?: number;
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/** An optimizer by name with PyTorch's defaults (sgd lr 0.01, adam/adamw lr 1e-3, rmsprop lr 1e-2). */
export function createOptimizer(config: OptimizerConfig): Optimizer {
  const { name, lr, momentum, nesterov, weightDecay } = config;
  switch (name) {
    case 'sgd':
      return new SGD({ lr: lr ?? 0.01, momentum, nesterov, weightDecay });
    case 'adam':
      return new Adam({ lr, weightDecay });
    case 'adamw':
      return new AdamW({ lr, weightDecay });
    case 'rmsprop':
      return new RMSprop({ lr, momentum, weightDecay });
    default:
      throw new TrainerError(`optimizer: expected one of ${OPTIMIZER_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  }
}
