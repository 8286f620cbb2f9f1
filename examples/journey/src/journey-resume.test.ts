import { describe, expect, it } from 'vitest';
import { backupsDir, stageConfig } from './journey-resume';

describe('stageConfig', () => {
  it('tells a --long stage 6 from the default one, and only stage 6', () => {
    expect(stageConfig(6, false, true).hash).not.toBe(stageConfig(6, false, false).hash);
    expect(stageConfig(6, false, true).long).toBe(true);
    // --long changes nothing else, so a resumed --long journey keeps stages 1-5 and 7.
    for (const s of [1, 5, 7]) expect(stageConfig(s, false, true)).toEqual(stageConfig(s, false, false));
  });

  it('tells quick from full and one stage from another', () => {
    expect(stageConfig(5, true).hash).not.toBe(stageConfig(5, false).hash);
    expect(stageConfig(5, false).hash).not.toBe(stageConfig(6, false).hash);
    expect(stageConfig(5, false).hash).toBe(stageConfig(5, false).hash);
  });

  it('names the fit backups by configuration: a quick stage never continues a full one', () => {
    expect(backupsDir('/r', stageConfig(2, true))).not.toBe(backupsDir('/r', stageConfig(2, false)));
    expect(backupsDir('/r', stageConfig(2, false))).toBe(backupsDir('/r', stageConfig(2, false)));
    expect(backupsDir('/r', stageConfig(2, false))).toMatch(/^\/r\/backups\/stage-2-[0-9a-f]{16}$/);
  });
});
