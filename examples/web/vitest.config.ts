import { project } from '../../vitest.shared';

export default project('example-web', { testTimeout: 600_000 });
