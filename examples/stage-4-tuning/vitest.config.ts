import { project } from '../../vitest.shared';

export default project('example-stage-4-tuning', { testTimeout: 600_000 });
