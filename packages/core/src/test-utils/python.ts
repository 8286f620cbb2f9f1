import { execFileSync } from 'node:child_process';

/** The Python the parity and interop tests run: Debian's (python3-torch, -torchvision, -optuna, -onnx), or FMNIST_PYTHON. */
export const PYTHON = process.env.FMNIST_PYTHON ?? '/usr/bin/python3';

/**
 * Whether `PYTHON` imports `module`. Tests run where it does, and always in CI (which installs
 * the peers): `describe.runIf(pythonHas('torch') || process.env.CI)`, so CI never skips silently.
 */
export function pythonHas(module: string): boolean {
  try {
    execFileSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
