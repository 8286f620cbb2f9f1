// Plumbing for other @fmnist packages and tests: `@fmnist/backend/internal`, free to change
// between versions. The main entry is the documented API.
export { type HostKernel, hostKernelConfig } from './kernels/host-kernel';
