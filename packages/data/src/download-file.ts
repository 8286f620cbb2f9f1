import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataError } from './data-error';

export interface DownloadOptions {
  /** Called with bytes received so far and the total when known. */
  onProgress?: (received: number, total: number | undefined) => void;
  /** Validates the finished `.part` file before it is renamed into place; throw to reject it. */
  validate?: (partPath: string) => void | Promise<void>;
  /** fetch implementation (tests inject one). Default: the global fetch. */
  fetch?: typeof fetch;
}

/**
 * Downloads `urls[0]` (falling back to the next URL on failure) into `dest`. Bytes go to
 * `dest.part` first, a partial file is resumed with an HTTP Range request, and only a
 * complete, validated file is renamed into place, so a kill never leaves a torn `dest`. Returns
 * the URL the bytes came from, or `'present'` when a complete `.part` only needed its rename.
 */
export async function downloadFile(urls: readonly string[], dest: string, options: DownloadOptions = {}): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  const part = `${dest}.part`;
  mkdirSync(dirname(dest), { recursive: true });
  const errors: string[] = [];
  const finish = async () => {
    if (options.validate) {
      try {
        await options.validate(part);
      } catch (error) {
        rmSync(part, { force: true }); // a bad file must not be resumed from
        throw error;
      }
    }
    renameSync(part, dest);
  };
  // A kill between the last byte and the rename leaves a complete `.part`: a Range request for
  // it gets 416 from every server, so a `.part` that validates is finished as it is.
  if (existsSync(part) && statSync(part).size > 0 && options.validate) {
    try {
      await options.validate(part);
      renameSync(part, dest);
      return 'present';
    } catch {
      // Incomplete (or bad): resumed below.
    }
  }
  for (const url of urls) {
    try {
      let offset = existsSync(part) ? statSync(part).size : 0;
      let response = await doFetch(url, offset > 0 ? { headers: { Range: `bytes=${offset}-` } } : {});
      if (response.status === 416 && offset > 0) {
        // The server has no bytes past our `.part`: it is as long as the file or longer, yet did
        // not validate. Start this file again.
        await response.body?.cancel();
        rmSync(part, { force: true });
        offset = 0;
        response = await doFetch(url, {});
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      const resumed = response.status === 206;
      const length = Number(response.headers.get('content-length')) || undefined;
      const total = length === undefined ? undefined : resumed ? offset + length : length;
      let received = resumed ? offset : 0;
      const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
      body.on('data', (chunk: Buffer) => {
        received += chunk.length;
        options.onProgress?.(received, total);
      });
      await pipeline(body, createWriteStream(part, { flags: resumed ? 'a' : 'w' }));
      await finish();
      return url;
    } catch (error) {
      errors.push(`${url}: ${(error as Error).message}`);
    }
  }
  throw new DataError(dest, `could not download: ${errors.join('; ')}`, { kind: 'failure' });
}
