import type { DocumentMeta } from '../jobs/job'

/**
 * A failed API call. `status` is 0 when the request never got an answer (offline, DNS, reset).
 * `retryAfter` is in seconds, from the `Retry-After` header of a 429 or 503.
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly retryAfter?: number

  constructor(status: number, code: string, message: string, retryAfter?: number) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    if (retryAfter !== undefined) this.retryAfter = retryAfter
  }
}

export interface Session {
  tenant: string
  token: string
}

export interface Usage {
  tenant: string
  [key: string]: unknown
}

export interface SearchItem {
  sha256: string
  name: string
  /** HTML-escaped text with `<mark>` around the matches. */
  snippet: string
  score: number
}

export interface SearchPage {
  items: SearchItem[]
  next: string | null
}

/** The body of `PUT /v1/documents/:sha256`. */
export interface DocumentPut extends Omit<DocumentMeta, 'sha256' | 'textBytes'> {
  text?: string
}

/**
 * The most extracted text the API takes for one document, in UTF-8 bytes (DESIGN.md keeps rows
 * small; the edge answers 413 `payload_too_large` past it and asks for the text truncated).
 */
export const API_TEXT_LIMIT = 1024 * 1024

export interface ApiClientOptions {
  /** Origin and path prefix; empty for the page's own origin. */
  baseUrl?: string
  fetch?: typeof fetch
}

/**
 * A small typed client over the v1 API. Plain `fetch` rather than `hc<AppType>` keeps the page
 * building while the edge routes are still moving; the shapes here follow DESIGN.md.
 */
export class ApiClient {
  readonly #base: string
  readonly #fetch: typeof fetch

  constructor(options: ApiClientOptions = {}) {
    this.#base = options.baseUrl ?? ''
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  }

  /** The development tenant, or undefined when the server is not in development. */
  async devSession(): Promise<Session | undefined> {
    try {
      return await this.#json<Session>('GET', '/v1/dev/session')
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return undefined
      throw error
    }
  }

  usage(token: string): Promise<Usage> {
    return this.#json('GET', '/v1/usage', { token })
  }

  async putDocument(token: string, sha256: string, body: DocumentPut): Promise<void> {
    await this.#json('PUT', `/v1/documents/${sha256}`, { token, json: body })
  }

  async putThumbnail(token: string, sha256: string, webp: Blob): Promise<void> {
    await this.#json('PUT', `/v1/documents/${sha256}/thumbnail`, {
      token,
      body: webp,
      type: 'image/webp',
    })
  }

  /**
   * Removes a document with its text and thumbnail. Resolves `false` when the server had no such
   * document (404), so repeating a delete is harmless.
   */
  async deleteDocument(token: string, sha256: string): Promise<boolean> {
    try {
      await this.#json('DELETE', `/v1/documents/${sha256}`, { token })
      return true
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return false
      throw error
    }
  }

  search(token: string, q: string, signal?: AbortSignal): Promise<SearchPage> {
    const query = new URLSearchParams({ q })
    return this.#json('GET', `/v1/search?${query}`, { token, signal })
  }

  async #json<T>(
    method: string,
    path: string,
    init: { token?: string; json?: unknown; body?: Blob; type?: string; signal?: AbortSignal } = {},
  ): Promise<T> {
    const headers = new Headers({ Accept: 'application/json' })
    if (init.token) headers.set('Authorization', `Bearer ${init.token}`)
    let body: BodyInit | undefined = init.body
    if (init.json !== undefined) {
      body = JSON.stringify(init.json)
      headers.set('Content-Type', 'application/json')
    } else if (init.type) headers.set('Content-Type', init.type)

    let response: Response
    try {
      response = await this.#fetch(`${this.#base}${path}`, {
        method,
        headers,
        body,
        signal: init.signal,
        cache: 'no-store',
      })
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error
      throw new ApiError(0, 'network', 'the server could not be reached')
    }

    const text = await response.text().catch(() => '')
    if (!response.ok) throw toApiError(response, text)
    return (text ? JSON.parse(text) : undefined) as T
  }
}

function toApiError(response: Response, text: string): ApiError {
  let code = response.status >= 500 ? 'server_error' : `http_${response.status}`
  let message = response.statusText || `HTTP ${response.status}`
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }
    if (typeof parsed.error?.code === 'string') code = parsed.error.code
    if (typeof parsed.error?.message === 'string') message = parsed.error.message
  } catch {
    // Not JSON: a proxy or the dev server answered; keep the status-derived code.
  }
  if (response.status === 401) code = 'unauthorized'
  if (response.status === 429 && code.startsWith('http_')) code = 'rate_limited'
  return new ApiError(response.status, code, message, parseRetryAfter(response))
}

/** `Retry-After` as seconds: either delta-seconds or an HTTP date. */
export function parseRetryAfter(response: Response): number | undefined {
  const value = response.headers.get('Retry-After')
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000)
}
