import { project } from '../../vitest.shared';

export default project('example-journey', { testTimeout: 600_000 });
