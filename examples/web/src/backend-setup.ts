import { BROWSER_BACKEND_CHOICES, type BrowserBackendChoice, type BrowserBackendInfo, initBackend } from '@fmnist/backend';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** The backend asked for in the page URL (`?backend=wasm`), else auto. */
export function requestedBackend(): BrowserBackendChoice {
  const asked = new URLSearchParams(location.search).get('backend') ?? 'auto';
  return (BROWSER_BACKEND_CHOICES as readonly string[]).includes(asked) ? (asked as BrowserBackendChoice) : 'auto';
}

/** wasm threads asked for in the page URL (`?threads=1`), else the backend's default. */
function requestedThreads(): number | undefined {
  const asked = Number(new URLSearchParams(location.search).get('threads'));
  return Number.isInteger(asked) && asked > 0 ? asked : undefined;
}

/** Starts tfjs on the requested backend; the wasm binaries are bundled with the app (works offline). */
export function setupBackend(): Promise<BrowserBackendInfo> {
  return initBackend({
    backend: requestedBackend(),
    threads: requestedThreads(),
    wasmPaths: {
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
    },
  });
}
