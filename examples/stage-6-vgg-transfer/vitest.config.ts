import { project } from '../../vitest.shared';

export default project('example-stage-6-vgg-transfer', { testTimeout: 600_000 });
