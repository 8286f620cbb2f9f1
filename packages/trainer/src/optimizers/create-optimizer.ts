import { TrainerError } from '../trainer-error';
import { Adam, AdamW } from './adam';
import { checkBetas, checkBoolean, checkFinite, checkNesterov, checkNonNegative } from './check-options';
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

/** Each option's check: its type and range as torch.optim's constructors check them. */
const CHECKS: Record<Exclude<keyof OptimizerConfig, 'name'>, (field: string, value: unknown) => unknown> = {
  lr: checkNonNegative,
  momentum: checkNonNegative,
  dampening: checkFinite,
  nesterov: checkBoolean,
  weightDecay: checkNonNegative,
  betas: checkBetas,
  eps: checkNonNegative,
  amsgrad: checkBoolean,
  alpha: checkNonNegative,
  centered: checkBoolean,
  maximize: checkBoolean,
};

/**
 * An optimizer by name with PyTorch's defaults (sgd lr 0.01, adam/adamw lr 1e-3, rmsprop lr 1e-2). Each
 * option is checked as torch.optim's constructor checks it, and for its type: one TrainerError naming
 * `optimizer.<field>`.
 */
export function createOptimizer(config: OptimizerConfig): Optimizer {
  const { name, lr, momentum, dampening, nesterov, weightDecay, betas, eps, amsgrad, alpha, centered, maximize } = config;
  const allowed = ALLOWED[name] as readonly string[] | undefined;
  if (!allowed) throw new TrainerError(`optimizer: expected one of ${OPTIMIZER_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  // An option the optimizer lacks is refused unless it is its neutral value (momentum 0, false).
  for (const [key, value] of Object.entries(config)) {
    if (key !== 'name' && value !== undefined && value !== 0 && value !== false && !allowed.includes(key))
      throw new TrainerError(`optimizer.${key}: ${name} has no such option (it takes ${allowed.join(', ')})`);
  }
  // Each option's type and range (lr, eps, momentum, weightDecay, alpha >= 0; betas in [0, 1); booleans), one error naming it.
  for (const [key, value] of Object.entries(config)) {
    if (key !== 'name' && value !== undefined) CHECKS[key as keyof typeof CHECKS](`optimizer.${key}`, value);
  }
  if (name === 'sgd') checkNesterov('optimizer.nesterov', nesterov ?? false, momentum ?? 0, dampening ?? 0);
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
