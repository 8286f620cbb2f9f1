// Serves the four official Fashion-MNIST files at /data/ in `vite dev` and copies them into the
// build, from wherever @fmnist/data finds them (FMNIST_DATA_DIR, the cache, Debian's package)
// or downloads them. With FMNIST_WEB_MODEL_DIR=<dir written by `fmnist train --out`>, that
// model is served at /models/node/ too.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { candidateDirs, FASHION_MNIST_FILES, fetchFashionMnist, gzip, isGzip, locateSplit } from '@fmnist/data';
import type { Plugin } from 'vite';

async function dataFiles(): Promise<Map<string, string>> {
  let train = locateSplit('train', candidateDirs());
  let test = locateSplit('test', candidateDirs());
  if (!train || !test) {
    await fetchFashionMnist();
    train = locateSplit('train', candidateDirs());
    test = locateSplit('test', candidateDirs());
  }
  if (!train || !test) throw new Error('Fashion-MNIST not found and could not be downloaded (see @fmnist/data README)');
  const files = new Map<string, string>();
  for (const [split, loc] of [
    ['train', train],
    ['test', test],
  ] as const) {
    files.set(`${FASHION_MNIST_FILES[split].images}.gz`, loc.images);
    files.set(`${FASHION_MNIST_FILES[split].labels}.gz`, loc.labels);
  }
  return files;
}

/** The official names end in .gz: a plain copy found on disk is compressed on the way out. */
function gzipped(path: string): Uint8Array {
  const bytes = readFileSync(path);
  return isGzip(bytes) ? bytes : gzip(bytes);
}

function modelFiles(): Map<string, string> {
  const dir = process.env.FMNIST_WEB_MODEL_DIR;
  const files = new Map<string, string>();
  if (!dir) return files;
  if (!existsSync(join(dir, 'model.json'))) throw new Error(`FMNIST_WEB_MODEL_DIR=${dir}: expected a model.json written by fmnist train --out`);
  for (const name of readdirSync(dir)) if (name === 'model.json' || name.endsWith('.bin')) files.set(name, join(dir, name));
  return files;
}

export function fashionMnistData(): Plugin {
  let found: Promise<Map<string, string>> | undefined;
  const files = () => {
    found ??= dataFiles();
    return found;
  };
  const models = modelFiles();
  return {
    name: 'fmnist-data',
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        const url = (req.url ?? '').split('?')[0];
        const model = url.startsWith('/models/node/') ? models.get(url.slice('/models/node/'.length)) : undefined;
        const data = url.startsWith('/data/') ? (await files()).get(url.slice('/data/'.length)) : undefined;
        if (!model && !data) return next();
        const body = data ? gzipped(data) : readFileSync(model as string);
        res.setHeader('Content-Type', url.endsWith('.json') ? 'application/json' : 'application/octet-stream');
        res.end(body);
      });
    },
    async generateBundle() {
      for (const [name, path] of await files()) this.emitFile({ type: 'asset', fileName: `data/${name}`, source: gzipped(path) });
      for (const [name, path] of models) this.emitFile({ type: 'asset', fileName: `models/node/${name}`, source: readFileSync(path) });
    },
  };
}
