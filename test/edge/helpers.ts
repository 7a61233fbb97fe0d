import { env } from 'cloudflare:workers'
import { createApp } from '../../edge/app'
import type { Env } from '../../edge/env'

export const ADMIN_TOKEN = 'test-admin-token'

/** Every request log line the test app printed. */
export const logs: string[] = []

const app = createApp({ print: (line) => logs.push(line) })

/** Sends a request to the API in-process, with the test bindings (and any overrides). */
export async function call(
  path: string,
  init: RequestInit = {},
  overrides: Partial<Env> = {},
): Promise<Response> {
  return app.request(`http://quire.test${path}`, init, { ...(env as Env), ...overrides })
}

/** A response's JSON body, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read any shape
export async function json(res: Response): Promise<any> {
  return res.json()
}

/** Headers with a bearer token, plus any others. */
export function auth(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...extra }
}

export interface Tenant {
  id: string
  tokenId: string
  token: string
}

let tenantCount = 0

/** A fresh tenant, with optional limit overrides. */
export async function createTenant(limits: Record<string, number> = {}): Promise<Tenant> {
  tenantCount += 1
  const id = `t${tenantCount}-${crypto.randomUUID().slice(0, 8)}`
  const res = await call('/v1/tenants', {
    method: 'POST',
    headers: auth(ADMIN_TOKEN, { 'content-type': 'application/json' }),
    body: JSON.stringify({ id, limits }),
  })
  if (res.status !== 201) throw new Error(`creating a tenant answered ${res.status}`)
  return (await res.json()) as Tenant
}

/** A 64-hex id made from a number, so tests can name documents. */
export function sha(n: number): string {
  return n.toString(16).padStart(64, '0')
}

/** A metadata body as the page sends it. */
export function docBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'report.pdf',
    mime: 'application/pdf',
    bytes: 12_345,
    kind: 'pdf',
    status: 'ready',
    pages: 3,
    title: 'Quarterly report',
    author: 'Ada',
    text: 'Revenue grew in the third quarter.',
    textTruncated: false,
    ...overrides,
  }
}

/** PUTs a document's metadata. */
export function putDoc(token: string, id: string, body: unknown = docBody()) {
  return call(`/v1/documents/${id}`, {
    method: 'PUT',
    headers: auth(token, { 'content-type': 'application/json' }),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/** A well-formed WebP container of exactly `size` bytes (a VP8L chunk of filler). */
export function webp(size = 64): Uint8Array {
  const bytes = new Uint8Array(size)
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i)
  }
  const view = new DataView(bytes.buffer)
  ascii(0, 'RIFF')
  view.setUint32(4, size - 8, true)
  ascii(8, 'WEBP')
  ascii(12, 'VP8L')
  view.setUint32(16, size - 20, true)
  return bytes
}

/** PUTs a thumbnail. */
export function putThumb(token: string, id: string, body: Uint8Array = webp()) {
  return call(`/v1/documents/${id}/thumbnail`, {
    method: 'PUT',
    headers: auth(token, { 'content-type': 'image/webp' }),
    body,
  })
}
