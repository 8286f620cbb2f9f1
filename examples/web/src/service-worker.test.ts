import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Listener = (event: { request?: Request; respondWith?: (r: Promise<Response>) => void; waitUntil?: (p: Promise<unknown>) => void }) => void;

/** Runs public/sw.js against an in-memory cache and a scripted network. */
function serviceWorker(network: (url: string) => Response | Promise<Response>) {
  const listeners = new Map<string, Listener>();
  const store = new Map<string, Response>();
  const cache = {
    match: async (r: Request | string) => store.get(typeof r === 'string' ? new URL(r, 'http://app/').href : r.url)?.clone(),
    put: async (r: Request, res: Response) => void store.set(r.url, res.clone()),
    addAll: async () => {},
    add: async () => {},
  };
  const self = {
    location: { origin: 'http://app' },
    addEventListener: (name: string, fn: Listener) => listeners.set(name, fn),
    skipWaiting: async () => {},
    clients: { claim: async () => {} },
  };
  const source = readFileSync(new URL('../public/sw.js', import.meta.url), 'utf8');
  new Function('self', 'caches', 'fetch', 'Response', source)(self, { open: async () => cache }, async (r: Request) => network(r.url), Response);
  return async (url: string, mode: RequestMode = 'cors') => {
    let response: Promise<Response> | undefined;
    const request = new Request(url);
    Object.defineProperty(request, 'mode', { value: mode });
    listeners.get('fetch')?.({ request, respondWith: (r) => (response = r) });
    return (await (response as Promise<Response>)).text();
  };
}

describe('the service worker', () => {
  it('fetches a model network-first, so one retrained in Node shows, and serves the cached one offline', async () => {
    let version = 'v1';
    let online = true;
    const get = serviceWorker((url) => {
      if (!online) throw new TypeError('offline');
      return new Response(url.endsWith('model.json') ? version : 'asset');
    });
    expect(await get('http://app/models/node/model.json')).toBe('v1');
    version = 'v2';
    expect(await get('http://app/models/node/model.json')).toBe('v2');
    online = false;
    expect(await get('http://app/models/node/model.json')).toBe('v2');
    // Hashed assets stay cache-first.
    online = true;
    expect(await get('http://app/assets/index-abc.js')).toBe('asset');
    online = false;
    expect(await get('http://app/assets/index-abc.js')).toBe('asset');
  });
});
