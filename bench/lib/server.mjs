// A tiny static server for the bench page, on 127.0.0.1 only, cross-origin isolated.
import { createReadStream, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
  '.ttf': 'font/ttf',
  '.icc': 'application/vnd.iccprofile',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
}

/**
 * Serves `siteDir` at `/` and each entry of `files` (URL path → file path) as is.
 * Every response carries COOP same-origin and COEP require-corp, so the page is
 * cross-origin isolated and `measureUserAgentSpecificMemory` is allowed.
 *
 * With `noApi`, every `/v1/…` request gets a 503 JSON error, so the app page runs as if
 * its API were down (its outbox keeps the writes) instead of fetching the site's 404 page.
 *
 * @param {{ siteDir: string, files: Map<string, string>, noApi?: boolean }} options
 * @returns {Promise<{ origin: string, close(): Promise<void> }>}
 */
export async function startStaticServer({ siteDir, files, noApi = false }) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname)
    const target = files.get(path) ?? insideSite(siteDir, path === '/' ? '/index.html' : path)
    const size = target ? fileSize(target) : null
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    }
    if (noApi && path.startsWith('/v1/')) {
      response.writeHead(503, { ...headers, 'Content-Type': 'application/json' })
      const error = { code: 'unavailable', message: 'the bench serves no API' }
      response.end(JSON.stringify({ error }))
      return
    }
    if (size == null || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(size == null ? 404 : 405, { ...headers, 'Content-Type': 'text/plain' })
      response.end(size == null ? 'not found' : 'method not allowed')
      return
    }
    response.writeHead(200, {
      ...headers,
      'Content-Type': TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': size,
    })
    if (request.method === 'HEAD') response.end()
    else createReadStream(target).pipe(response)
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address()
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The file under `root` that `path` names, or null when it would escape `root`. */
function insideSite(root, path) {
  const full = normalize(join(root, path))
  return full.startsWith(normalize(root) + sep) ? full : null
}

function fileSize(path) {
  try {
    const stat = statSync(path)
    return stat.isFile() ? stat.size : null
  } catch {
    return null
  }
}
