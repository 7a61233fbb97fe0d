import { env } from 'cloudflare:workers'
import { runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import {
  ADMIN_TOKEN,
  auth,
  call,
  createTenant,
  docBody,
  json,
  putDoc,
  putThumb,
  sha,
  webp,
} from './helpers'

const ID = sha(0xa11ce)

/** Every tenant route, as a request factory. */
const ROUTES: [string, (headers: Record<string, string>) => Promise<Response>][] = [
  [
    'PUT /v1/documents/:sha256',
    (headers) =>
      call(`/v1/documents/${ID}`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(docBody()),
      }),
  ],
  ['GET /v1/documents', (headers) => call('/v1/documents', { headers })],
  ['GET /v1/documents/:sha256', (headers) => call(`/v1/documents/${ID}`, { headers })],
  [
    'DELETE /v1/documents/:sha256',
    (headers) => call(`/v1/documents/${ID}`, { method: 'DELETE', headers }),
  ],
  [
    'PUT /v1/documents/:sha256/thumbnail',
    (headers) =>
      call(`/v1/documents/${ID}/thumbnail`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'image/webp' },
        body: webp(),
      }),
  ],
  [
    'GET /v1/documents/:sha256/thumbnail',
    (headers) => call(`/v1/documents/${ID}/thumbnail`, { headers }),
  ],
  ['GET /v1/search', (headers) => call('/v1/search?q=revenue', { headers })],
  ['GET /v1/usage', (headers) => call('/v1/usage', { headers })],
]

/** Every admin route, as a request factory. */
const ADMIN_ROUTES: [string, (headers: Record<string, string>) => Promise<Response>][] = [
  [
    'POST /v1/tenants',
    (headers) =>
      call('/v1/tenants', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{}',
      }),
  ],
  ['GET /v1/tenants/:id', (headers) => call('/v1/tenants/acme', { headers })],
  [
    'PATCH /v1/tenants/:id/limits',
    (headers) =>
      call('/v1/tenants/acme/limits', {
        method: 'PATCH',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{"documents":5}',
      }),
  ],
  [
    'POST /v1/tenants/:id/tokens',
    (headers) => call('/v1/tenants/acme/tokens', { method: 'POST', headers }),
  ],
  [
    'DELETE /v1/tenants/:id/tokens/:tokenId',
    (headers) => call('/v1/tenants/acme/tokens/0123456789ab', { method: 'DELETE', headers }),
  ],
]

async function expectUnauthorized(res: Response) {
  expect(res.status).toBe(401)
  expect(await json(res)).toEqual({
    error: { code: 'unauthorized', message: expect.any(String) },
  })
}

describe('tenant routes', () => {
  describe.each(ROUTES)('%s', (_name, send) => {
    it('answers 401 without a token', async () => {
      await expectUnauthorized(await send({}))
    })

    it('answers 401 with a malformed Authorization header', async () => {
      await expectUnauthorized(await send({ authorization: 'Basic abc' }))
    })

    it('answers 401 with a made-up token', async () => {
      const tenant = await createTenant()
      const forged = tenant.token.slice(0, -4) + (tenant.token.endsWith('AAAA') ? 'BBBB' : 'AAAA')

      await expectUnauthorized(await send(auth(forged)))
    })

    it('answers 401 with a revoked token', async () => {
      const tenant = await createTenant()
      await call(`/v1/tenants/${tenant.id}/tokens`, { method: 'POST', headers: auth(ADMIN_TOKEN) })

      await expectUnauthorized(await send(auth(tenant.token)))
    })

    it('answers 401 with the admin token', async () => {
      await expectUnauthorized(await send(auth(ADMIN_TOKEN)))
    })
  })
})

describe('admin routes', () => {
  describe.each(ADMIN_ROUTES)('%s', (_name, send) => {
    it('answers 401 without a token', async () => {
      await expectUnauthorized(await send({}))
    })

    it('answers 401 with a tenant token', async () => {
      const tenant = await createTenant()

      await expectUnauthorized(await send(auth(tenant.token)))
    })

    it('answers 401 with a wrong admin token', async () => {
      await expectUnauthorized(await send(auth(`${ADMIN_TOKEN}x`)))
    })
  })
})

describe('another tenant’s token', () => {
  it('sees, changes and deletes none of the first tenant’s documents', async () => {
    const a = await createTenant()
    const b = await createTenant()
    await putDoc(a.token, ID)
    await putThumb(a.token, ID)

    const list = await json(await call('/v1/documents', { headers: auth(b.token) }))
    const one = await call(`/v1/documents/${ID}`, { headers: auth(b.token) })
    const thumb = await call(`/v1/documents/${ID}/thumbnail`, { headers: auth(b.token) })
    const putThumbnail = await putThumb(b.token, ID)
    const hits = await json(await call('/v1/search?q=revenue', { headers: auth(b.token) }))
    const removed = await call(`/v1/documents/${ID}`, { method: 'DELETE', headers: auth(b.token) })
    const usage = await json(await call('/v1/usage', { headers: auth(b.token) }))

    expect(list.items).toEqual([])
    expect(one.status).toBe(404)
    expect(thumb.status).toBe(404)
    expect(putThumbnail.status).toBe(404)
    expect(hits.items).toEqual([])
    expect(removed.status).toBe(404)
    expect(usage).toMatchObject({ tenant: b.id, documents: 0, thumbnailBytes: 0 })
    const still = await call(`/v1/documents/${ID}`, { headers: auth(a.token) })
    expect(still.status).toBe(200)
    expect((await json(still)).thumbnail).toBe(true)
  })

  it('writes its own copy when it PUTs the same hash', async () => {
    const a = await createTenant()
    const b = await createTenant()
    await putDoc(a.token, ID, docBody({ name: 'a.pdf' }))

    const res = await putDoc(b.token, ID, docBody({ name: 'b.pdf' }))

    expect(res.status).toBe(201)
    const seenByA = await json(await call(`/v1/documents/${ID}`, { headers: auth(a.token) }))
    expect(seenByA.name).toBe('a.pdf')
  })

  it('cannot be bent to another tenant by editing the tenant id inside it', async () => {
    const a = await createTenant()
    const b = await createTenant()
    const bent = b.token.replace(`qt_${b.id}_`, `qt_${a.id}_`)

    await expectUnauthorized(await call('/v1/documents', { headers: auth(bent) }))
  })
})

describe('a token for a tenant that does not exist', () => {
  it('answers 401 and leaves that tenant’s object empty', async () => {
    const token = `qt_ghost_0123456789ab_${'A'.repeat(43)}`

    await expectUnauthorized(await call('/v1/usage', { headers: auth(token) }))

    const stub = env.TENANTS.get(env.TENANTS.idFromName('ghost'))
    const tables = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql.exec("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").one(),
    )
    expect(tables.n).toBe(0)
  })
})

describe('the development tenant', () => {
  const dev = { ENVIRONMENT: 'development', QUIRE_DEV_TOKEN: 'dev-token-for-tests' }

  it('works on the first request with QUIRE_DEV_TOKEN in development', async () => {
    const res = await call('/v1/usage', { headers: auth(dev.QUIRE_DEV_TOKEN) }, dev)

    expect(res.status).toBe(200)
    expect(await json(res)).toMatchObject({ tenant: 'dev', documents: 0 })
  })

  it('hands out its session only in development', async () => {
    const inDev = await call('/v1/dev/session', {}, dev)
    const inTest = await call('/v1/dev/session')

    expect(await json(inDev)).toEqual({ tenant: 'dev', token: dev.QUIRE_DEV_TOKEN })
    expect(inTest.status).toBe(404)
    expect((await json(inTest)).error.code).toBe('not_found')
  })

  it('does not exist outside development', async () => {
    const res = await call(
      '/v1/usage',
      { headers: auth(dev.QUIRE_DEV_TOKEN) },
      { QUIRE_DEV_TOKEN: dev.QUIRE_DEV_TOKEN },
    )

    await expectUnauthorized(res)
  })

  it('cannot be created with the admin token', async () => {
    const res = await call('/v1/tenants', {
      method: 'POST',
      headers: auth(ADMIN_TOKEN, { 'content-type': 'application/json' }),
      body: '{"id":"dev"}',
    })

    expect(res.status).toBe(409)
  })
})
