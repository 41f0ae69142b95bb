// The app's service worker (VERSION and PRECACHE are prepended at build time). Cache-first for the app's own
// files (a lazily loaded chunk is kept once fetched); everything else (the emulators on other ports) goes to
// the network untouched, where the Firebase SDK handles being offline itself.
/* global VERSION, PRECACHE */
const CACHE = `fleetfire-web-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("fleetfire-web-") && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  // Every page of the single-page app is index.html.
  const key = event.request.mode === "navigate" ? "/index.html" : url.pathname;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const cached = await cache.match(key);
      if (cached) return cached;
      const response = await fetch(event.request);
      // A lazily loaded chunk (hashed name under /assets/) is kept once fetched: the console works offline too.
      if (response.ok && url.pathname.startsWith("/assets/")) await cache.put(key, response.clone());
      return response;
    }),
  );
});
