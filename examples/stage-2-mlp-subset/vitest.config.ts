import { project } from '../../vitest.shared';

export default project('example-stage-2-mlp-subset', { testTimeout: 600_000 });
