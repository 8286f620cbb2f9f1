import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { writeFileAtomic } from '@fmnist/core';
import { io } from '@tensorflow/tfjs-core';
import { ModelError } from './model-error';

/** Weight shards of at most 4 MiB, as the tfjs converter writes them. */
const SHARD_BYTES = 4 * 1024 * 1024;

/**
 * Bytes a weight takes in the shards: its quantised dtype's size when tfjs-converter quantised it
 * (uint8: 1, uint16 and float16: 2), else its dtype's; undefined for strings (variable length).
 */
export function weightBytes(spec: io.WeightsManifestEntry): number | undefined {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const q = spec.quantization?.dtype;
  if (q) return count * (q === 'uint8' ? 1 : 2);
  switch (spec.dtype) {
    case 'float32':
    case 'int32':
      return count * 4;
    case 'bool':
      return count;
    case 'complex64':
      return count * 8;
    default:
      return undefined;
  }
}

/** A shard path from model.json, refused unless it stays inside the model directory. */
function shardPath(dir: string, manifestPath: string, p: string): string {
  const root = resolve(dir);
  const file = resolve(root, p);
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
    throw new ModelError(`${manifestPath}: weight shard path ${JSON.stringify(p)} leaves the model directory`);
  return file;
}

function toBuffer(data: io.WeightData): ArrayBuffer {
  return Array.isArray(data) ? io.concatenateArrayBuffers(data) : data;
}

/**
 * A tfjs IOHandler that saves to / loads from a directory in the standard layers format
 * (`model.json` + binary weight shards), in Node without tfjs-node. Shards carry a fresh id and
 * `model.json` is renamed into place last, so a kill mid-save leaves the previous model intact.
 */
export function fileSystemHandler(dir: string): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new ModelError(`${dir}: graph models (binary topology) are not supported`);
      mkdirSync(dir, { recursive: true });
      const id = randomBytes(4).toString('hex');
      const weights = artifacts.weightData ? new Uint8Array(toBuffer(artifacts.weightData)) : new Uint8Array(0);
      const shardCount = Math.max(1, Math.ceil(weights.byteLength / SHARD_BYTES));
      const paths: string[] = [];
      for (let s = 0; s < shardCount; s++) {
        const name = `group1-shard${s + 1}of${shardCount}-${id}.bin`;
        writeFileAtomic(join(dir, name), weights.subarray(s * SHARD_BYTES, (s + 1) * SHARD_BYTES));
        paths.push(name);
      }
      const manifest: io.WeightsManifestConfig = [{ paths, weights: artifacts.weightSpecs ?? [] }];
      const modelJson: io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: manifest,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      writeFileAtomic(join(dir, 'model.json'), JSON.stringify(modelJson));
      // Old shards are unreferenced now; remove them.
      for (const file of readdirSync(dir)) {
        if (/^group\d+-shard\d+of\d+(-[0-9a-f]+)?\.bin$/.test(file) && !paths.includes(file)) rmSync(join(dir, file), { force: true });
      }
      return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<io.ModelArtifacts> {
      const path = join(dir, 'model.json');
      if (!existsSync(path)) throw new ModelError(`${dir}: no model.json (expected a directory written by saveModel or fmnist train --out)`);
      let json: io.ModelJSON;
      try {
        json = JSON.parse(readFileSync(path, 'utf8')) as io.ModelJSON;
      } catch (error) {
        throw new ModelError(`${path}: not valid JSON (${(error as Error).message})`);
      }
      if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
        throw new ModelError(`${path}: expected a tfjs layers model.json with modelTopology and weightsManifest`);
      }
      return io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const file = shardPath(dir, path, p);
            if (!existsSync(file)) throw new ModelError(`${file}: weight shard listed in model.json is missing`);
            const b = readFileSync(file);
            buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
          }
        }
        const data = io.concatenateArrayBuffers(buffers);
        const sizes = specs.map(weightBytes);
        if (sizes.every((n) => n !== undefined)) {
          const expected = sizes.reduce((a: number, b) => a + (b as number), 0);
          if (data.byteLength !== expected) throw new ModelError(`${dir}: weights hold ${data.byteLength} bytes, model.json expects ${expected}`);
        }
        return [specs, data];
      });
    },
  };
}
