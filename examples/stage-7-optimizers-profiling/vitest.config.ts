import { project } from '../../vitest.shared';

export default project('example-stage-7-optimizers-profiling', { testTimeout: 600_000 });
