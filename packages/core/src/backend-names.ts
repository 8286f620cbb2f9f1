/** The backends `initBackend` can be asked for; 'auto' picks the best installed one (never 'webgpu' in Node: only when asked). */
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu', 'webgpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** The backends that can run: every choice but 'auto'. */
export type BackendName = Exclude<BackendChoice, 'auto'>;

/** The browser's backends, in the order 'auto' tries them (WebGPU, WebGL, wasm with our kernels, cpu). */
export const BROWSER_BACKEND_CHOICES = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BrowserBackendChoice = (typeof BROWSER_BACKEND_CHOICES)[number];
export type BrowserBackendName = Exclude<BrowserBackendChoice, 'auto'>;

/** Labels the benchmarks compare: ours, stock tfjs-backend-wasm (only the missing filter gradient added), cpu, tfjs-node, WebGPU (Dawn in Node). */
export const BENCH_BACKENDS = ['wasm', 'wasm-stock', 'cpu', 'tensorflow', 'webgpu'] as const;
export type BenchBackend = (typeof BENCH_BACKENDS)[number];
