// The Node entry: everything in the browser entry, with the machine and memory read from Node.
export * from './browser';
export { type MachineInfo, machineInfo } from './machine-info';
export { compareBackends, profileModel } from './profile-model-node';
