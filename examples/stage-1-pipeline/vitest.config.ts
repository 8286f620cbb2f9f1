import { project } from '../../vitest.shared';

export default project('example-stage-1-pipeline', { testTimeout: 600_000 });
