import { project } from '../../vitest.shared';

export default project('example-stage-3-mlp-full', { testTimeout: 600_000 });
