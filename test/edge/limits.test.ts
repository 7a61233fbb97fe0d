import { env } from 'cloudflare:workers'
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

function usage(token: string) {
  return call('/v1/usage', { headers: auth(token) }).then(json)
}

function patchLimits(id: string, body: unknown) {
  return call(`/v1/tenants/${id}/limits`, {
    method: 'PATCH',
    headers: auth(ADMIN_TOKEN, { 'content-type': 'application/json' }),
    body: JSON.stringify(body),
  })
}

describe('document quota', () => {
  it('takes documents up to the limit, then answers 409 quota_exceeded and writes nothing', async () => {
    const tenant = await createTenant({ documents: 2 })
    await putDoc(tenant.token, sha(1))
    await putDoc(tenant.token, sha(2))

    const res = await putDoc(tenant.token, sha(3))

    expect(res.status).toBe(409)
    expect((await json(res)).error.code).toBe('quota_exceeded')
    expect((await usage(tenant.token)).documents).toBe(2)
    const missing = await call(`/v1/documents/${sha(3)}`, { headers: auth(tenant.token) })
    expect(missing.status).toBe(404)
  })

  it('still updates documents that exist when the workspace is full', async () => {
    const tenant = await createTenant({ documents: 1 })
    await putDoc(tenant.token, sha(1))

    const res = await putDoc(tenant.token, sha(1), docBody({ name: 'renamed.pdf' }))

    expect(res.status).toBe(200)
  })

  it('frees a place when a document is deleted', async () => {
    const tenant = await createTenant({ documents: 1 })
    await putDoc(tenant.token, sha(1))
    await call(`/v1/documents/${sha(1)}`, { method: 'DELETE', headers: auth(tenant.token) })

    expect((await putDoc(tenant.token, sha(2))).status).toBe(201)
  })
})

describe('text quota', () => {
  it('accepts text up to the limit and refuses one byte more', async () => {
    const tenant = await createTenant({ textBytes: 10 })

    const exact = await putDoc(tenant.token, sha(1), docBody({ text: '0123456789' }))
    const over = await putDoc(tenant.token, sha(2), docBody({ text: 'x' }))

    expect(exact.status).toBe(201)
    expect(over.status).toBe(409)
    expect((await json(over)).error.code).toBe('quota_exceeded')
    expect(await usage(tenant.token)).toMatchObject({ documents: 1, textBytes: 10 })
  })

  it('lets a document shrink its text when the workspace is over the limit', async () => {
    const tenant = await createTenant({ textBytes: 10 })
    await putDoc(tenant.token, sha(1), docBody({ text: '0123456789' }))

    const res = await putDoc(tenant.token, sha(1), docBody({ text: '01234' }))

    expect(res.status).toBe(200)
    expect((await usage(tenant.token)).textBytes).toBe(5)
  })
})

describe('thumbnail quota', () => {
  it('counts thumbnail bytes and refuses the upload that would pass the limit', async () => {
    const tenant = await createTenant({ thumbnailBytes: 150 })
    await putDoc(tenant.token, sha(1))
    await putDoc(tenant.token, sha(2))
    expect((await putThumb(tenant.token, sha(1), webp(100))).status).toBe(204)

    const over = await putThumb(tenant.token, sha(2), webp(60))
    const replace = await putThumb(tenant.token, sha(1), webp(150))

    expect(over.status).toBe(409)
    expect((await json(over)).error.code).toBe('quota_exceeded')
    expect(await env.THUMBNAILS.head(`${tenant.id}/${sha(2)}/thumbnail.webp`)).toBeNull()
    expect(replace.status).toBe(204)
    expect((await usage(tenant.token)).thumbnailBytes).toBe(150)
  })

  it('honours a per-tenant thumbnail size cap', async () => {
    const tenant = await createTenant({ thumbnailSize: 100 })
    await putDoc(tenant.token, sha(1))

    const res = await putThumb(tenant.token, sha(1), webp(102))

    expect(res.status).toBe(413)
  })
})

describe('rate limit', () => {
  it('allows a burst, then answers 429 rate_limited with Retry-After', async () => {
    const tenant = await createTenant({ burst: 3, ratePerSecond: 0.01 })

    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < 4; i++) {
      last = await call('/v1/documents', { headers: auth(tenant.token) })
      statuses.push(last.status)
    }

    expect(statuses).toEqual([200, 200, 200, 429])
    expect(last!.headers.get('retry-after')).toBe('100')
    expect((await json(last!)).error.code).toBe('rate_limited')
  })

  it('limits each tenant on its own', async () => {
    const busy = await createTenant({ burst: 1, ratePerSecond: 0.01 })
    const calm = await createTenant()
    await call('/v1/usage', { headers: auth(busy.token) })

    const throttled = await call('/v1/usage', { headers: auth(busy.token) })
    const other = await call('/v1/usage', { headers: auth(calm.token) })

    expect(throttled.status).toBe(429)
    expect(other.status).toBe(200)
  })

  it('takes metadata and thumbnails for 1,000 files in one burst at the default limits', async () => {
    const tenant = await createTenant()
    const batch = Array.from({ length: 1_000 }, (_, i) => sha(10_000 + i))

    const docs = await Promise.all(batch.map((id) => putDoc(tenant.token, id)))
    const thumbs = await Promise.all(batch.map((id) => putThumb(tenant.token, id)))

    expect(docs.filter((res) => res.status !== 201)).toEqual([])
    expect(thumbs.filter((res) => res.status !== 204)).toEqual([])
  }, 120_000)
})

describe('admin overrides', () => {
  it('show in usage, and null puts a limit back to its default', async () => {
    const tenant = await createTenant({ documents: 5 })
    const before = await usage(tenant.token)

    const raised = await json(await patchLimits(tenant.id, { documents: 50, burst: 400 }))
    const reset = await json(await patchLimits(tenant.id, { documents: null }))

    expect(before.limits.documents).toBe(5)
    expect(raised).toMatchObject({ documents: 50, burst: 400 })
    expect(reset).toMatchObject({ documents: 10_000, burst: 400 })
    expect((await usage(tenant.token)).limits).toEqual(reset)
  })

  it('refuse unknown limits and values out of range', async () => {
    const tenant = await createTenant()

    const unknown = await patchLimits(tenant.id, { pages: 5 })
    const negative = await patchLimits(tenant.id, { documents: -1 })
    const missing = await patchLimits('no-such-tenant', { documents: 5 })

    expect(unknown.status).toBe(400)
    expect(negative.status).toBe(400)
    expect(missing.status).toBe(404)
  })
})
