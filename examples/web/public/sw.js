// Offline support. On install: the app shell listed in precache.json (written at build time).
// Then pages and models network-first (a new build, or a model retrained in Node, is picked up;
// the cache serves them offline), everything else (hashed assets, wasm binaries, the IDX files)
// cache-first once fetched.
const CACHE = 'fmnist-web-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const response = await fetch('./precache.json', { cache: 'no-cache' });
      if (response.ok) await cache.addAll(await response.json());
      await self.skipWaiting();
    })(),
  );
});
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// The page asks for files it fetched before this worker controlled it (the data).
self.addEventListener('message', (event) => {
  const urls = event.data?.cache ?? [];
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        Promise.all(
          urls.filter((u) => new URL(u).origin === self.location.origin).map(async (u) => (await cache.match(u)) || cache.add(u).catch(() => undefined)),
        ),
      ),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      if (request.mode === 'navigate' || new URL(request.url).pathname.includes('/models/')) {
        try {
          const response = await fetch(request);
          if (response.ok) await cache.put(request, response.clone());
          return response;
        } catch {
          return (
            (await cache.match(request, { ignoreSearch: true, ignoreVary: true })) ||
            (request.mode === 'navigate' ? await cache.match('./') : undefined) ||
            Response.error()
          );
        }
      }
      // ignoreVary: vite preview (and many hosts) send Vary: Origin, which a module script's CORS request never matches.
      const hit = await cache.match(request, { ignoreVary: true });
      if (hit) return hit;
      const response = await fetch(request);
      if (response.ok) await cache.put(request, response.clone());
      return response;
    })(),
  );
});
