import { type BackendInfo, initBackend } from '@fmnist/backend';
import { BACKEND_CHOICES, type BackendChoice } from '@fmnist/core';
import type { OptionDef, Values } from './command';
import { choice } from './options';

/** `--backend`: the tfjs backend to run on. */
export const BACKEND_OPTION: OptionDef = {
  type: 'string',
  value: 'NAME',
  description: 'the tfjs backend (fmnist doctor says which runs and why)',
  choices: BACKEND_CHOICES,
  default: 'auto, or $FMNIST_BACKEND',
};

/** `--backend auto|tensorflow|wasm|cpu` (default auto, or $FMNIST_BACKEND). */
export async function backendFromFlags(values: Values): Promise<BackendInfo> {
  const fallback = (process.env.FMNIST_BACKEND as BackendChoice | undefined) ?? 'auto';
  return initBackend({ backend: choice(values, 'backend', BACKEND_CHOICES, fallback) });
}
