import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { auth, call, createTenant, docBody, json, putDoc, putThumb, sha } from './helpers'

describe('GET /v1/documents', () => {
  it('pages newest first with a cursor, ending with next: null', async () => {
    const tenant = await createTenant()
    for (let n = 1; n <= 5; n++) await putDoc(tenant.token, sha(n))

    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const query: string = cursor ? `&cursor=${cursor}` : ''
      const page = await json(
        await call(`/v1/documents?limit=2${query}`, { headers: auth(tenant.token) }),
      )
      seen.push(...page.items.map((doc: { sha256: string }) => doc.sha256))
      cursor = page.next
      pages += 1
    } while (cursor)

    expect(pages).toBe(3)
    expect(seen).toEqual([sha(5), sha(4), sha(3), sha(2), sha(1)])
  })

  it('keeps a document’s place when it is updated', async () => {
    const tenant = await createTenant()
    await putDoc(tenant.token, sha(1))
    await putDoc(tenant.token, sha(2))

    await putDoc(tenant.token, sha(1), docBody({ name: 'again.pdf' }))

    const page = await json(await call('/v1/documents', { headers: auth(tenant.token) }))
    expect(page.items.map((doc: { sha256: string }) => doc.sha256)).toEqual([sha(2), sha(1)])
  })
})

describe('DELETE /v1/documents/:sha256', () => {
  it('removes the metadata, the text and the R2 thumbnail', async () => {
    const tenant = await createTenant()
    const key = `${tenant.id}/${sha(1)}/thumbnail.webp`
    await putDoc(tenant.token, sha(1))
    await putThumb(tenant.token, sha(1))
    expect(await env.THUMBNAILS.head(key)).not.toBeNull()

    const res = await call(`/v1/documents/${sha(1)}`, {
      method: 'DELETE',
      headers: auth(tenant.token),
    })

    expect(res.status).toBe(204)
    expect(await env.THUMBNAILS.head(key)).toBeNull()
    const hits = await json(await call('/v1/search?q=revenue', { headers: auth(tenant.token) }))
    expect(hits.items).toEqual([])
    expect(await json(await call('/v1/usage', { headers: auth(tenant.token) }))).toMatchObject({
      documents: 0,
      textBytes: 0,
      thumbnailBytes: 0,
    })
  })

  it('answers 404 the second time', async () => {
    const tenant = await createTenant()
    await putDoc(tenant.token, sha(1))
    const remove = () =>
      call(`/v1/documents/${sha(1)}`, { method: 'DELETE', headers: auth(tenant.token) })

    await remove()

    expect((await remove()).status).toBe(404)
  })
})

describe('GET /v1/documents/:sha256/thumbnail', () => {
  it('answers 304 for a matching If-None-Match', async () => {
    const tenant = await createTenant()
    await putDoc(tenant.token, sha(1))
    await putThumb(tenant.token, sha(1))
    const first = await call(`/v1/documents/${sha(1)}/thumbnail`, { headers: auth(tenant.token) })

    const again = await call(`/v1/documents/${sha(1)}/thumbnail`, {
      headers: auth(tenant.token, { 'if-none-match': first.headers.get('etag')! }),
    })

    expect(again.status).toBe(304)
  })

  it('answers 404 when the document has no thumbnail yet', async () => {
    const tenant = await createTenant()
    await putDoc(tenant.token, sha(1))

    const res = await call(`/v1/documents/${sha(1)}/thumbnail`, { headers: auth(tenant.token) })

    expect(res.status).toBe(404)
  })
})
