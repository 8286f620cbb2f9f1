import { shownValue } from '@fmnist/core';
import { TrainerError } from '../trainer-error';

/** A finite number >= 0 (torch.optim's lr, eps, momentum, weight_decay, alpha: `if not 0.0 <= x: raise ValueError`). */
export function checkNonNegative(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new TrainerError(`${field}: expected a finite number >= 0, got ${shownValue(value)}`);
  return value;
}

/** A finite number (SGD's dampening, which torch does not range-check). */
export function checkFinite(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TrainerError(`${field}: expected a finite number, got ${shownValue(value)}`);
  return value;
}

/** A boolean (amsgrad, centered, nesterov, maximize): `'yes'` or `1` is no boolean. */
export function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TrainerError(`${field}: expected true or false, got ${shownValue(value)}`);
  return value;
}

/** Adam's `[beta1, beta2]`, each in [0, 1) as torch.optim.Adam checks them ("Invalid beta parameter at index 1"). Returns a copy. */
export function checkBetas(field: string, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) throw new TrainerError(`${field}: expected [beta1, beta2], two numbers in [0, 1), got ${shownValue(value)}`);
  for (const [i, b] of value.entries()) {
    if (typeof b !== 'number' || !(b >= 0 && b < 1)) throw new TrainerError(`${field}[${i}]: expected a number in [0, 1), got ${shownValue(b)}`);
  }
  return [value[0], value[1]];
}

/** SGD's Nesterov momentum needs momentum > 0 and dampening 0 (torch: "Nesterov momentum requires a momentum and zero dampening"). */
export function checkNesterov(field: string, nesterov: boolean, momentum: number, dampening: number): void {
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new TrainerError(`${field}: needs momentum > 0 and dampening 0 (got momentum ${momentum}, dampening ${dampening})`);
  }
}
