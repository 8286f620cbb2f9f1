import { TrainerError } from '../trainer-error';
import { Adam, AdamW } from './adam';
import type { Optimizer } from './optimizer';
import { RMSprop } from './rmsprop';
import { SGD } from './sgd';

export const OPTIMIZER_NAMES = ['sgd', 'adam', 'adamw', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** An optimizer by name; each option applies where torch.optim's optimizer of that name has it. */
export interface OptimizerConfig {
  name: OptimizerName;
  /** Default: sgd 0.01, adam/adamw 1e-3, rmsprop 1e-2. */
  lr?: number;
  /** sgd, rmsprop. Default 0. */
  momentum?: number;
  /** sgd. Default 0. */
  dampening?: number;
  /** sgd. Default false. */
  nesterov?: boolean;
  /** Default 0 (adamw: 0.01, decoupled). */
  weightDecay?: number;
  /** adam, adamw. Default [0.9, 0.999]. */
  betas?: [number, number];
  /** adam, adamw, rmsprop. Default 1e-8. */
  eps?: number;
  /** adam, adamw. Default false. */
  amsgrad?: boolean;
  /** rmsprop. Default 0.99. */
  alpha?: number;
  /** rmsprop. Default false. */
  centered?: boolean;
  /** Every optimizer. Default false. */
  maximize?: boolean;
}

const ALLOWED: Record<OptimizerName, readonly (keyof OptimizerConfig)[]> = {
  sgd: ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', 'maximize'],
  adam: ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'],
  adamw: ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'],
  rmsprop: ['lr', 'alpha', 'eps', 'momentum', 'centered', 'weightDecay', 'maximize'],
};

/** An optimizer by name with PyTorch's defaults (sgd lr 0.01, adam/adamw lr 1e-3, rmsprop lr 1e-2). */
export function createOptimizer(config: OptimizerConfig): Optimizer {
  const { name, lr, momentum, dampening, nesterov, weightDecay, betas, eps, amsgrad, alpha, centered, maximize } = config;
  const allowed = ALLOWED[name] as readonly string[] | undefined;
  if (!allowed) throw new TrainerError(`optimizer: expected one of ${OPTIMIZER_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  // An option the optimizer lacks is refused unless it is its neutral value (momentum 0, false).
  for (const [key, value] of Object.entries(config)) {
    if (key !== 'name' && value !== undefined && value !== 0 && value !== false && !allowed.includes(key))
      throw new TrainerError(`optimizer.${key}: ${name} has no such option (it takes ${allowed.join(', ')})`);
  }
  switch (name) {
    case 'sgd':
      return new SGD({ lr: lr ?? 0.01, momentum, dampening, nesterov, weightDecay, maximize });
    case 'adam':
      return new Adam({ lr, betas, eps, weightDecay, amsgrad, maximize });
    case 'adamw':
      return new AdamW({ lr, betas, eps, weightDecay, amsgrad, maximize });
    case 'rmsprop':
      return new RMSprop({ lr, alpha, eps, momentum, centered, weightDecay, maximize });
  }
}
