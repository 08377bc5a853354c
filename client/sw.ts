/// <reference lib="webworker" />
/**
 * The service worker, at the site's root so it sees every page: the built files from the cache
 * first, and each page and API answer from the network while it answers, else from what was
 * kept of it, so what someone has read stays readable offline. Built apart from the app.
 */
export {};

declare const self: ServiceWorkerGlobalScope;
/** The build's hashed files: vite.config.ts writes their list in when it builds this worker. */
declare const __BUILD_ASSETS__: string[];
const buildAssets: readonly string[] = __BUILD_ASSETS__;

const assetCache = "praxis-assets";
/** What was read, at most this many of each, the oldest dropped first. */
const readingLimits = { "praxis-pages": 50, "praxis-api": 100 };
type ReadingCache = keyof typeof readingLimits;

/**
 * Counts sign-ins and sign-outs, so that an answer fetched for one person and arriving after
 * the next one signed in is not kept for them.
 */
let generation = 0;

self.addEventListener("install", (event) => {
  event.waitUntil(precacheAssets().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(takeOver());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === "/api/v1/sessions" && request.method !== "GET") {
    event.respondWith(forgetReadingAfter(request));
  } else if (request.method !== "GET") {
    return;
  } else if (url.pathname.startsWith("/assets/")) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, "praxis-pages", "text/html", keeping(event)));
  } else if (url.pathname.startsWith("/api/v1/")) {
    event.respondWith(networkFirst(request, "praxis-api", "application/json", keeping(event)));
  }
});

async function precacheAssets(): Promise<void> {
  const cache = await caches.open(assetCache);
  const kept = new Set((await cache.keys()).map((request) => new URL(request.url).pathname));
  await cache.addAll(buildAssets.filter((path) => !kept.has(path)));
}

/** Drops the files of earlier builds, and keeps the pages read before this worker started. */
async function takeOver(): Promise<void> {
  const current = new Set(buildAssets);
  const cache = await caches.open(assetCache);
  for (const request of await cache.keys()) {
    if (!current.has(new URL(request.url).pathname)) await cache.delete(request);
  }
  await self.clients.claim();
  const windows = await self.clients.matchAll({ type: "window" });
  const kept: Promise<void>[] = [];
  await Promise.all(
    windows.map((client) =>
      networkFirst(new Request(client.url), "praxis-pages", "text/html", (work) => {
        kept.push(work);
      }).catch(() => undefined),
    ),
  );
  await Promise.all(kept);
}

/** Keeping an answer goes on while the page already reads it, and the worker waits for it. */
const keeping = (event: FetchEvent) => (work: Promise<void>) => event.waitUntil(work);

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(assetCache);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function networkFirst(
  request: Request,
  name: ReadingCache,
  type: string,
  whileKeeping: (work: Promise<void>) => void,
): Promise<Response> {
  const started = generation;
  let response: Response;
  try {
    response = await fetch(request);
  } catch (offline) {
    const cached = await (await caches.open(name)).match(request, { ignoreVary: true });
    if (cached) return cached;
    throw offline;
  }
  const fits = response.ok && response.headers.get("content-type")?.startsWith(type);
  if (fits && started === generation) whileKeeping(keep(name, request, response.clone()));
  return response;
}

async function keep(name: ReadingCache, request: Request, response: Response): Promise<void> {
  const cache = await caches.open(name);
  // A full disk or an odd answer only means this one is not kept.
  await cache.put(request, response).catch(() => undefined);
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - readingLimits[name]))) {
    await cache.delete(old);
  }
}

/** Whoever signs in or out next must not be shown what the previous person read. */
async function forgetReadingAfter(request: Request): Promise<Response> {
  const response = await fetch(request);
  if (response.ok) {
    generation++;
    await Promise.all(Object.keys(readingLimits).map((name) => caches.delete(name)));
  }
  return response;
}
