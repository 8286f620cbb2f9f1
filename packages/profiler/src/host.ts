export interface MachineInfo {
  backend: string;
  tfjsVersion: string;
  /** Runtime: the Node version, or the browser's user agent. */
  node: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  platform: string;
}

/** What the profiler reads from the platform it runs on (Node or a browser). */
export interface Host {
  machine(): MachineInfo;
  /** Peak resident memory in MB; in a browser, the JS heap when the browser reports it, else 0. */
  peakRssMb(): number;
}
