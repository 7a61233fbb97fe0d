/**
 * Quire's service worker: precaches the whole build (app shell, worker chunks, WASM, pdf.js
 * assets) so the page reloads and starts workers offline. API responses (`/v1/`) are never
 * cached. The build replaces `__QUIRE_PRECACHE__` with `{ version, urls }`
 * (scripts/vite-precache.ts).
 *
 * Types are declared here because `web/` compiles with the DOM library, where the service
 * worker globals do not exist, and adding `webworker` to it would clash with DOM.
 */

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void
}

interface FetchEvent extends ExtendableEvent {
  readonly request: Request
  respondWith(response: Response | Promise<Response>): void
}

interface SwScope {
  skipWaiting(): Promise<void>
  clients: { claim(): Promise<void> }
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void
  location: Location
}

declare const __QUIRE_PRECACHE__: { version: string; urls: string[] }

const sw = self as unknown as SwScope
const manifest = __QUIRE_PRECACHE__
const CACHE = `quire-${manifest.version}`
const SHELL = '/'

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE)
      // `cache: 'reload'` skips the HTTP cache, so a new build never precaches stale bytes.
      await cache.addAll(manifest.urls.map((url) => new Request(url, { cache: 'reload' })))
      await sw.skipWaiting()
    })(),
  )
})

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('quire-') && name !== CACHE) await caches.delete(name)
      }
      // Take over the page that registered us, so its next worker start is served offline.
      await sw.clients.claim()
    })(),
  )
})

sw.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== sw.location.origin || url.pathname.startsWith('/v1/')) return
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request))
    return
  }
  event.respondWith(cacheFirst(request))
})

/** The shell: fresh when the network answers, the precached copy when it does not. */
async function networkFirst(request: Request): Promise<Response> {
  try {
    const response = await fetch(request)
    if (response.ok) {
      const cache = await caches.open(CACHE)
      await cache.put(SHELL, response.clone())
    }
    return response
  } catch (error) {
    const cached = await caches.match(SHELL, { cacheName: CACHE })
    if (cached) return cached
    throw error
  }
}

/** Hashed build files and pdf.js assets never change under one name: cache first. */
async function cacheFirst(request: Request): Promise<Response> {
  const cached = await caches.match(request, { cacheName: CACHE, ignoreSearch: true })
  if (cached) return cached
  return fetch(request)
}
