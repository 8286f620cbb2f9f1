import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../../../scripts/lavapipe.sh', import.meta.url));

/**
 * The environment that puts Dawn's Vulkan backend on Mesa's lavapipe (VK_DRIVER_FILES,
 * VK_ICD_FILENAMES, LD_LIBRARY_PATH), as `scripts/lavapipe.sh` prints it once it has unpacked
 * lavapipe; undefined where it has not (the root `test` script runs it, through bootstrap) or off
 * Linux. LD_LIBRARY_PATH only works in a process started with it: give it to a child process.
 */
export function lavapipeEnv(): Record<string, string> | undefined {
  if (process.platform !== 'linux' || spawnSync('bash', [SCRIPT, '--check']).status !== 0) return undefined;
  const exports = execFileSync('bash', [SCRIPT], { encoding: 'utf8' });
  return Object.fromEntries([...exports.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
}

/** The line a lavapipe test fails with where lavapipe is not set up. */
export const LAVAPIPE_MISSING = 'lavapipe is not set up here: run bash scripts/lavapipe.sh (Debian 12; the root test script does)';

/**
 * Whether lavapipe tests skip: off Linux, on the Node legs (the llvmpipe tests run there; which
 * Dawn backend runs does not depend on Node's version), and off CI where `scripts/lavapipe.sh` has
 * not been run (with a warning saying so). In CI on Linux they run, and fail with
 * `LAVAPIPE_MISSING` without it.
 */
export function skipLavapipeTests(file: string): boolean {
  if (process.platform !== 'linux' || process.env.FMNIST_NODE_LEG) return true;
  const skip = !process.env.CI && lavapipeEnv() === undefined;
  if (skip) console.warn(`${file}: lavapipe tests skipped: ${LAVAPIPE_MISSING}`);
  return skip;
}
