import { project } from '../../vitest.shared';

export default project('example-stage-5-cnn', { testTimeout: 600_000 });
