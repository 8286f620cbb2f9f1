import { DataError } from './data-error';
import { DEFAULT_MAX_BYTES, decodeIdx, type ParseIdxOptions, parseIdxHeader } from './decode-idx';
import type { IdxArray } from './idx-types';
import { isGzip } from './is-gzip';

export interface ParseIdxAsyncOptions extends ParseIdxOptions {
  /** Called as decompressed bytes arrive: `loaded` of `total` (known once the header is read). */
  onProgress?: (loaded: number, total: number) => void;
}

export type IdxInput = Uint8Array | Blob | ReadableStream<Uint8Array>;

/**
 * Parses an IDX file (plain or gzipped, detected by magic bytes) from bytes, a `Blob`/`File` or a
 * stream such as `fetch(url).body`, inflating with the platform's `DecompressionStream`: no zlib,
 * so it runs in browsers as well as in Node. The payload buffer is allocated once, at the size the
 * header claims (checked against `maxBytes` first); extra or missing bytes are errors.
 */
export async function parseIdxAsync(input: IdxInput, options: ParseIdxAsyncOptions = {}): Promise<IdxArray> {
  const source = options.source ?? '<bytes>';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const raw = toStream(input);
  const [first, rest] = await peek(raw, source);
  const gzipped = isGzip(first);
  let stream = prepend(first, rest);
  if (gzipped) stream = stream.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
  const reader = stream.getReader();
  let head: Uint8Array = new Uint8Array(0);
  let out: Uint8Array | undefined;
  let loaded = 0;
  let expected = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!out) {
        head = concat(head, value);
        const ndim = head.length >= 4 ? head[3] : 0;
        if (head.length < 4 || head.length < 4 + 4 * ndim) continue;
        const header = parseIdxHeader(head, source, maxBytes);
        expected = header.headerBytes + header.payloadBytes;
        if (head.length > expected) throw trailing(source, expected);
        // Grow towards the claimed size as bytes arrive, so a short file claiming a huge shape
        // costs what it holds, not what it claims.
        out = new Uint8Array(Math.min(expected, Math.max(head.length, 1 << 20)));
        out.set(head);
        loaded = head.length;
      } else {
        if (loaded + value.length > expected) throw trailing(source, expected);
        if (loaded + value.length > out.length) {
          const grown = new Uint8Array(Math.min(expected, Math.max(loaded + value.length, 2 * out.length)));
          grown.set(out.subarray(0, loaded));
          out = grown;
        }
        out.set(value, loaded);
        loaded += value.length;
      }
      options.onProgress?.(loaded, expected);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    if (error instanceof DataError) throw error;
    throw new DataError(source, `corrupt or truncated ${gzipped ? 'gzip stream' : 'input'}: ${(error as Error).message}`);
  }
  // Short input: decodeIdx reports what the header needs against what arrived.
  return decodeIdx(out ? out.subarray(0, loaded) : head, source, maxBytes);
}

function trailing(source: string, expected: number): DataError {
  return new DataError(source, `trailing bytes: the header needs ${expected} bytes, found more`);
}

function toStream(input: IdxInput): ReadableStream<Uint8Array> {
  if (input instanceof Uint8Array) {
    return new ReadableStream<Uint8Array>({
      start(controller) {
        if (input.length > 0) controller.enqueue(input);
        controller.close();
      },
    });
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) return input.stream() as ReadableStream<Uint8Array>;
  return input as ReadableStream<Uint8Array>;
}

/** Reads the first non-empty chunk (to sniff the gzip magic) and returns the reader for the rest. */
async function peek(stream: ReadableStream<Uint8Array>, source: string): Promise<[Uint8Array, ReadableStreamDefaultReader<Uint8Array>]> {
  const reader = stream.getReader();
  let first: Uint8Array = new Uint8Array(0);
  while (first.length < 2) {
    const { done, value } = await reader.read().catch((error: Error) => {
      throw new DataError(source, `cannot read: ${error.message}`);
    });
    if (done) break;
    first = concat(first, value);
  }
  return [first, reader];
}

function prepend(first: Uint8Array, rest: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  let sentFirst = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentFirst) {
        sentFirst = true;
        if (first.length > 0) {
          controller.enqueue(first);
          return;
        }
      }
      const { done, value } = await rest.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => rest.cancel(reason),
  });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
