import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { auth, call, createTenant, docBody, json, logs, putDoc, putThumb, sha } from './helpers'

describe('security headers', () => {
  it.each([
    ['a public route', () => call('/v1/health')],
    ['an error', () => call('/v1/documents')],
    ['an unknown route', () => call('/v1/nope')],
    [
      'a thumbnail',
      async () => {
        const tenant = await createTenant()
        await putDoc(tenant.token, sha(1))
        await putThumb(tenant.token, sha(1))
        return call(`/v1/documents/${sha(1)}/thumbnail`, { headers: auth(tenant.token) })
      },
    ],
  ])('are on %s', async (_name, send) => {
    const res = await send()

    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin')
    expect(res.headers.get('cross-origin-embedder-policy')).toBeNull()
    expect(res.headers.get('cache-control')).toMatch(/no-store|no-cache/)
  })
})

describe('CORS', () => {
  const preflight = {
    method: 'OPTIONS',
    headers: {
      origin: 'https://evil.example',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'authorization',
    },
  }

  it('allows no other origin by default', async () => {
    const res = await call('/v1/health', { headers: { origin: 'https://evil.example' } })
    const pre = await call('/v1/documents', preflight)

    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    expect(pre.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('allows the origins in QUIRE_ALLOWED_ORIGINS', async () => {
    const allowed = { QUIRE_ALLOWED_ORIGINS: 'https://app.example, https://evil.example' }

    const pre = await call('/v1/documents', preflight, allowed)

    expect(pre.headers.get('access-control-allow-origin')).toBe('https://evil.example')
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization')
  })
})

describe('request log', () => {
  it('prints one JSON line per request with tenant, route, status and ms, and no secrets', async () => {
    const tenant = await createTenant()
    const secretText = 'confidential-merger-plans'
    logs.length = 0

    await putDoc(tenant.token, sha(7), docBody({ text: secretText }))
    await call(`/v1/search?q=${secretText}`, { headers: auth(tenant.token) })

    expect(logs).toHaveLength(2)
    const lines = logs.map((line) => JSON.parse(line))
    expect(lines[0]).toEqual({
      at: expect.any(String),
      tenant: tenant.id,
      method: 'PUT',
      route: '/v1/documents/:sha256',
      status: 201,
      ms: expect.any(Number),
    })
    expect(lines[1]).toMatchObject({ route: '/v1/search', status: 200 })
    const all = logs.join('\n')
    expect(all).not.toContain(tenant.token)
    expect(all).not.toContain(secretText)
  })

  it('names no tenant for a request that failed auth', async () => {
    logs.length = 0

    await call('/v1/usage', { headers: auth(`qt_victim_0123456789ab_${'A'.repeat(43)}`) })

    expect(JSON.parse(logs[0]!)).toMatchObject({ tenant: null, status: 401 })
  })
})

describe('GET /v1/openapi.json', () => {
  it('documents every route from the same schemas', async () => {
    const res = await call('/v1/openapi.json')

    expect(res.status).toBe(200)
    const doc = await json(res)
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/dev/session',
      '/v1/documents',
      '/v1/documents/{sha256}',
      '/v1/documents/{sha256}/thumbnail',
      '/v1/health',
      '/v1/search',
      '/v1/tenants',
      '/v1/tenants/{id}',
      '/v1/tenants/{id}/limits',
      '/v1/tenants/{id}/tokens',
      '/v1/tenants/{id}/tokens/{tokenId}',
      '/v1/usage',
    ])
    expect(doc.components.schemas.DocumentInput.properties.status.enum).toEqual(['ready', 'failed'])
  })
})

describe('the Worker entry', () => {
  it('serves the API through the default export', async () => {
    const res = await exports.default.fetch('http://quire.test/v1/health')

    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
  })
})

describe('a body on a read', () => {
  it.each(['transfer-encoding', 'content-length'])(
    'is refused with 400 invalid_request when %s announces one',
    async (header) => {
      const headers = { [header]: header === 'content-length' ? '1' : 'chunked' }

      const res = await call('/v1/health', { headers })

      expect(res.status).toBe(400)
      expect((await json(res)).error.code).toBe('invalid_request')
    },
  )
})
