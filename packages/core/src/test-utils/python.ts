import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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

/**
 * Python readers that Debian does not package (tensorboard, plotly), installed by
 * `scripts/bootstrap.sh` with pip into `.fmnist-cache/python` when `FMNIST_PIP_EXTRA` names them
 * (`npm test` does), or `FMNIST_PYTHONPATH`. Tests that use them run `PYTHON` with `PIP_PYTHON_ENV`.
 */
export const PIP_PYTHONPATH = process.env.FMNIST_PYTHONPATH ?? fileURLToPath(new URL('../../../../.fmnist-cache/python', import.meta.url));

/** The environment for `PYTHON` with `PIP_PYTHONPATH` on its path. */
export const PIP_PYTHON_ENV: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: PIP_PYTHONPATH };

/** Whether `PYTHON` imports `module` with `PIP_PYTHONPATH` on its path. */
export function pipPythonHas(module: string): boolean {
  try {
    execFileSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore', env: PIP_PYTHON_ENV });
    return true;
  } catch {
    return false;
  }
}

/** Why a test of a pip-installed reader is skipped, for its title ('' when `found`). */
export function pipSkipNote(found: boolean, pkg: string): string {
  return found ? '' : ` (skipped: no ${pkg} for ${PYTHON} in ${PIP_PYTHONPATH}; FMNIST_PIP_EXTRA='${pkg}' bash scripts/bootstrap.sh installs it)`;
}
