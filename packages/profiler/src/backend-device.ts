/** The device a backend runs on, as the comparison table names it. */
export interface BackendDevice {
  /** The adapter's name, e.g. 'llvmpipe-llvm-15-0-6-256-bits' or 'NVIDIA H100'. */
  name: string;
  /** A software adapter (the GPU's work runs on the CPU): its times are no GPU's. */
  software: boolean;
}

/** The parts of a WebGPU adapter report (`BackendInfo.webgpu` of @fmnist/backend) that name it. */
export interface AdapterNames {
  vendor: string;
  device: string;
  description: string;
  software: boolean;
}

/** A WebGPU adapter as a device: its device name, else its description, else its vendor (Dawn's GL adapters fill only some). */
export function adapterDevice(adapter: AdapterNames): BackendDevice {
  const name = [adapter.device, adapter.description, adapter.vendor].map((n) => n.trim().replace(/^-+|-+$/g, '')).find((n) => n !== '');
  return { name: name ?? 'unnamed adapter', software: adapter.software };
}

/** A result's backend as the tables show it: `webgpu (software: llvmpipe)`, `webgpu (NVIDIA H100)`, or the label alone. */
export function backendLabel(r: { backend: string; device?: BackendDevice }): string {
  if (!r.device) return r.backend;
  return `${r.backend} (${r.device.software ? 'software: ' : ''}${r.device.name})`;
}
