import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * tfjs-backend-wasm ships a multi-threaded (pthreads) build but only enables it in browsers
 * (tfjs issue #3830): it hands the pthread workers their scripts as Blob URLs, which Node's
 * worker_threads cannot load. Emscripten's glue does support Node workers, so we give it files:
 * while the backend initialises, Blobs of script text are written to a temp directory and
 * `URL.createObjectURL` returns their paths; the worker script gets a prelude that does the same
 * for the main script it is sent. Returns a function that restores the globals.
 */
export function prepareWasmThreadsForNode(threads: number): () => void {
  const require = createRequire(import.meta.url);
  const wasmDir = join(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'), '..', 'wasm-out');
  const { wasmWorkerContents } = require(join(wasmDir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-wasm-threads-'));
  const workerPath = join(dir, 'worker.js');
  // In each worker, the main script arrives as a Blob: hand importScripts its file instead.
  const prelude = `URL.createObjectURL = () => process.env.FMNIST_WASM_MAIN_SCRIPT; URL.revokeObjectURL = () => {};\n`;
  // As tfjs does for its Blob: newlines in the source are escapes inside string literals.
  writeFileSync(workerPath, prelude + wasmWorkerContents.replace(/\n/g, '\\n'));
  const OriginalBlob = globalThis.Blob;
  const originalCreate = URL.createObjectURL;
  const paths = new WeakMap<Blob, string>();
  let counter = 0;
  class FileBlob extends OriginalBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      super(parts, options);
      if (parts?.every((p) => typeof p === 'string')) {
        const text = (parts as string[]).join('');
        if (text.includes('ENVIRONMENT_IS_PTHREAD') && text.includes('"use strict";var Module={}')) {
          paths.set(this, workerPath);
        } else {
          const path = join(dir, `script-${counter++}.js`);
          // The bundled factory's source refers to bundler-renamed requires; the workers get
          // emscripten's original glue instead, which defines the same global.
          const main = text.startsWith('var WasmBackendModuleThreadedSimd');
          writeFileSync(path, main ? readFileSync(join(wasmDir, 'tfjs-backend-wasm-threaded-simd.js'), 'utf8') : text);
          paths.set(this, path);
          if (main) process.env.FMNIST_WASM_MAIN_SCRIPT = path;
        }
      }
    }
  }
  globalThis.Blob = FileBlob as typeof Blob;
  URL.createObjectURL = (obj: Blob) => paths.get(obj) ?? originalCreate(obj);
  // tfjs sizes its pool as min(requested, logical cores / 2), assuming hyper-threading: for the
  // initialisation, report enough cores for the requested threads.
  const os = require('node:os') as { cpus: () => unknown[] };
  const cpus = os.cpus;
  os.cpus = () => Array.from({ length: 2 * threads }, (_, i) => cpus()[i % cpus().length]);
  return () => {
    globalThis.Blob = OriginalBlob;
    URL.createObjectURL = originalCreate;
    os.cpus = cpus;
  };
}
