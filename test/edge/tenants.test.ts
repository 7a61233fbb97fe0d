import { describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, auth, call, createTenant, json } from './helpers'

function admin(path: string, init: RequestInit = {}) {
  const headers = auth(ADMIN_TOKEN, init.body ? { 'content-type': 'application/json' } : {})
  return call(path, { ...init, headers })
}

describe('POST /v1/tenants', () => {
  it('creates a tenant with a random id and returns its token once', async () => {
    const res = await admin('/v1/tenants', { method: 'POST', body: '{}' })

    expect(res.status).toBe(201)
    const created = await json(res)
    expect(created.id).toMatch(/^t-[0-9a-f]{16}$/)
    expect(created.token).toMatch(new RegExp(`^qt_${created.id}_[0-9a-f]{12}_[\\w-]{43}$`))
    const usage = await json(await call('/v1/usage', { headers: auth(created.token) }))
    expect(usage).toMatchObject({ tenant: created.id, documents: 0, failed: 0 })
  })

  it('answers 409 conflict for an id that exists', async () => {
    const tenant = await createTenant()

    const res = await admin('/v1/tenants', {
      method: 'POST',
      body: JSON.stringify({ id: tenant.id }),
    })

    expect(res.status).toBe(409)
    expect((await json(res)).error.code).toBe('conflict')
  })

  it.each([['Upper'], ['-dash'], ['a_b'], ['x'.repeat(41)]])(
    'answers 400 for the id %j',
    async (id) => {
      const res = await admin('/v1/tenants', { method: 'POST', body: JSON.stringify({ id }) })

      expect(res.status).toBe(400)
    },
  )
})

describe('GET /v1/tenants/:id', () => {
  it('shows usage, overrides and token ids, never a secret or a hash', async () => {
    const tenant = await createTenant({ documents: 7 })

    const res = await admin(`/v1/tenants/${tenant.id}`)

    const info = await json(res)
    expect(info).toMatchObject({
      id: tenant.id,
      overrides: { documents: 7 },
      usage: { tenant: tenant.id, limits: { documents: 7 } },
      tokens: [{ tokenId: tenant.tokenId, revokedAt: null }],
    })
    const text = JSON.stringify(info)
    expect(text).not.toContain(tenant.token.split('_').at(-1))
    expect(text).not.toMatch(/[0-9a-f]{64}/)
  })

  it('answers 404 for a tenant nobody created', async () => {
    expect((await admin('/v1/tenants/nobody')).status).toBe(404)
  })
})

describe('POST /v1/tenants/:id/tokens', () => {
  it('rotates: the new token works and the old one is revoked', async () => {
    const tenant = await createTenant()

    const rotated = await json(await admin(`/v1/tenants/${tenant.id}/tokens`, { method: 'POST' }))

    const old = await call('/v1/usage', { headers: auth(tenant.token) })
    const fresh = await call('/v1/usage', { headers: auth(rotated.token) })
    expect(old.status).toBe(401)
    expect(fresh.status).toBe(200)
    expect(rotated.tokenId).not.toBe(tenant.tokenId)
  })

  it('keeps the other tokens with ?keep=true', async () => {
    const tenant = await createTenant()

    const second = await json(
      await admin(`/v1/tenants/${tenant.id}/tokens?keep=true`, { method: 'POST' }),
    )

    expect((await call('/v1/usage', { headers: auth(tenant.token) })).status).toBe(200)
    expect((await call('/v1/usage', { headers: auth(second.token) })).status).toBe(200)
  })

  it('answers 404 for a tenant nobody created', async () => {
    expect((await admin('/v1/tenants/nobody/tokens', { method: 'POST' })).status).toBe(404)
  })
})

describe('DELETE /v1/tenants/:id/tokens/:tokenId', () => {
  it('revokes one token and leaves the others', async () => {
    const tenant = await createTenant()
    const second = await json(
      await admin(`/v1/tenants/${tenant.id}/tokens?keep=true`, { method: 'POST' }),
    )

    const res = await admin(`/v1/tenants/${tenant.id}/tokens/${tenant.tokenId}`, {
      method: 'DELETE',
    })

    expect(res.status).toBe(204)
    expect((await call('/v1/usage', { headers: auth(tenant.token) })).status).toBe(401)
    expect((await call('/v1/usage', { headers: auth(second.token) })).status).toBe(200)
  })

  it('answers 404 for a token the tenant never had', async () => {
    const tenant = await createTenant()

    const res = await admin(`/v1/tenants/${tenant.id}/tokens/ffffffffffff`, { method: 'DELETE' })

    expect(res.status).toBe(404)
  })
})
