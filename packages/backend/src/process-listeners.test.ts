import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { keepingProcessListeners, restoreProcessListeners, snapshotProcessListeners, withProcessListenersKept } from './process-listeners';

const program = fileURLToPath(new URL('test-utils/user-program.mjs', import.meta.url));

function run(env: Record<string, string>): { status: number | null; stderr: string } {
  const { status, stderr } = spawnSync(process.execPath, ['--conditions=@fmnist/source', '--import', 'tsx', program], {
    env: { ...process.env, FMNIST_BACKEND: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status, stderr };
}

describe('initBackend leaves the handling of the program’s own errors to Node', () => {
  for (const threads of ['1', '2']) {
    const build = threads === '1' ? 'the single-threaded SIMD build' : 'the threaded SIMD build';
    it(`a throw after init: Node's own message and exit code 1 (${build})`, () => {
      const node = run({ CASE: 'throw' });
      const ours = run({ CASE: 'throw', INIT: '1', THREADS: threads });
      expect(node.status).toBe(1);
      expect(node.stderr).toMatch(/^\S+user-program\.mjs:\d+\n.*throw new Error\('my bug'\);\n\s+\^\n\nError: my bug\n/);
      expect(ours).toEqual(node);
    });

    it(`an unhandled rejection after init: Node's own message and exit code 1 (${build})`, () => {
      const node = run({ CASE: 'reject' });
      const ours = run({ CASE: 'reject', INIT: '1', THREADS: threads });
      expect(node.status).toBe(1);
      expect(node.stderr).toMatch(/\nError: my bug\n/);
      expect(ours).toEqual(node);
    });

    it(`the program's own uncaughtException handler, added before init, still handles its errors and stays (${build})`, () => {
      const node = run({ CASE: 'handler' });
      const ours = run({ CASE: 'handler', INIT: '1', THREADS: threads });
      expect(node).toEqual({ status: 0, stderr: 'handled: my bug\nstill running, my handler is there: true\n' });
      expect(ours).toEqual(node);
    });
  }

  it("a failure in one of tfjs-backend-wasm's threads still ends the program with its error and code 1", () => {
    const { status, stderr } = run({ CASE: 'worker', INIT: '1', THREADS: '2' });
    // V8's wording changes with Node: "invalid index 123456 into function table" (20), "... into
    // funcref table of size N" (22), "invalid address 123456 in funcref table ..." (24).
    expect(stderr).toMatch(/^worker sent an error! .*WebAssembly\.Table\.get\(\): invalid \w+ 123456 in\w* \w+ table.*\n/);
    expect(stderr).toMatch(/\nRangeError.*: WebAssembly\.Table\.get\(\): invalid \w+ 123456/);
    // Not a line of minified emscripten glue.
    expect(stderr.length).toBeLessThan(3000);
    expect(status).toBe(1);
  });
});

describe('withProcessListenersKept', () => {
  it('removes the listeners added while it runs, puts back those removed, in their order, once-listeners included', async () => {
    const first = () => {};
    const second = () => {};
    process.on('rejectionHandled', first);
    process.once('rejectionHandled', second);
    const before = process.rawListeners('rejectionHandled');
    const exitCode = process.exitCode;
    const added = () => {};
    await withProcessListenersKept(async () => {
      process.removeListener('rejectionHandled', first);
      process.on('rejectionHandled', added);
      process.on('unhandledRejection', added);
      process.exitCode = 7;
    });
    expect(process.rawListeners('rejectionHandled')).toEqual(before);
    expect(process.listeners('unhandledRejection')).not.toContain(added);
    expect(process.exitCode).toBe(exitCode);
    // The once-listener is still a once-listener.
    process.emit('rejectionHandled', Promise.resolve());
    expect(process.listeners('rejectionHandled')).toEqual([first]);
    process.removeListener('rejectionHandled', first);
  });

  it('restores them when the function throws too, and a wrapped function keeps them', async () => {
    const snapshot = snapshotProcessListeners();
    const added = () => {};
    await expect(
      withProcessListenersKept(async () => {
        process.on('uncaughtException', added);
        throw new Error('init failed');
      }),
    ).rejects.toThrow('init failed');
    expect(process.listeners('uncaughtException')).not.toContain(added);
    const removeAll = keepingProcessListeners(() => process.removeAllListeners('exit'));
    removeAll();
    expect(restoreProcessListeners(snapshot)).toEqual([]);
  });
});
