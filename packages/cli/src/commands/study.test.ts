import { join } from 'node:path';
import { createStudy } from '@fmnist/tuner';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tmp } from '../test-utils/run-cli';

/** A journal holding the studies `names`, two trials each. */
async function journal(...names: string[]): Promise<string> {
  const storage = `journal:${join(tmp('studies'), 'study.log')}`;
  for (const studyName of names) {
    const study = await createStudy({ studyName, storage, direction: 'maximize' });
    await study.optimize((trial) => trial.suggestFloat('x', 0, 1), { nTrials: 2 });
  }
  return storage;
}

describe('fmnist study without --study', () => {
  let one: string;
  let two: string;
  beforeAll(async () => {
    one = await journal('only');
    two = await journal('first', 'second');
  });

  it("reads the storage's only study", async () => {
    for (const sub of ['best', 'show', 'export']) {
      const r = await cli('study', sub, '--storage', one, '--json');
      expect(r.code, `${sub}: ${r.err.join(' ')}`).toBe(0);
    }
    expect((await cli('study', 'best', '--storage', one, '--json')).json()).toMatchObject({ studyName: 'only', trials: 2 });
  });

  it('refuses to choose among several, listing them (exit 2)', async () => {
    const r = await cli('study', 'best', '--storage', two);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([expect.stringMatching(/^fmnist: --study is required: .* holds 2 studies: first, second$/)]);
    expect((await cli('study', 'best', '--storage', two, '--study', 'second', '--json')).json()).toMatchObject({ studyName: 'second' });
  });
});
