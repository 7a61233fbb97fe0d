import { describe, expect, it } from 'vitest'
import { auth, call, json, createTenant, docBody, putDoc, putThumb, sha, webp } from './helpers'

describe('PUT /v1/documents/:sha256', () => {
  it('creates with 201 and answers the stored document', async () => {
    const tenant = await createTenant()

    const res = await putDoc(tenant.token, sha(1))

    expect(res.status).toBe(201)
    const doc = await json(res)
    expect(doc).toMatchObject({
      sha256: sha(1),
      name: 'report.pdf',
      kind: 'pdf',
      status: 'ready',
      pages: 3,
      textBytes: 34,
      textTruncated: false,
      thumbnail: false,
    })
    expect(doc).not.toHaveProperty('text')
    expect(doc.createdAt).toBe(doc.updatedAt)
  })

  it('answers 200 and changes nothing when the same body comes again', async () => {
    const tenant = await createTenant()
    const first = await json(await putDoc(tenant.token, sha(2)))

    const res = await putDoc(tenant.token, sha(2))

    expect(res.status).toBe(200)
    expect(await json(res)).toEqual(first)
  })

  it('updates the row and updatedAt when the body differs', async () => {
    const tenant = await createTenant()
    const first = await json(await putDoc(tenant.token, sha(3)))
    await new Promise((resolve) => setTimeout(resolve, 5))

    const res = await putDoc(tenant.token, sha(3), docBody({ name: 'renamed.pdf' }))

    expect(res.status).toBe(200)
    const doc = await json(res)
    expect(doc.name).toBe('renamed.pdf')
    expect(doc.createdAt).toBe(first.createdAt)
  })

  it('leaves one row after 50 identical PUTs at once', async () => {
    const tenant = await createTenant()

    const statuses = await Promise.all(
      Array.from({ length: 50 }, async () => (await putDoc(tenant.token, sha(4))).status),
    )

    expect(statuses.filter((status) => status === 201)).toHaveLength(1)
    expect(statuses.filter((status) => status === 200)).toHaveLength(49)
    const list = await json(await call('/v1/documents', { headers: auth(tenant.token) }))
    expect(list.items).toHaveLength(1)
  })

  it('records a failed file with its error code and a null kind', async () => {
    const tenant = await createTenant()
    const body = {
      name: 'mystery.bin',
      mime: 'application/octet-stream',
      bytes: 10,
      kind: null,
      status: 'failed',
      error: { code: 'unsupported_type', message: 'not an image or a PDF' },
    }

    const res = await putDoc(tenant.token, sha(5), body)

    expect(res.status).toBe(201)
    expect(await json(res)).toMatchObject({ status: 'failed', kind: null, error: body.error })
  })
})

describe('a document round trip', () => {
  it('lists, reads with text, stores a thumbnail and deletes everything', async () => {
    const tenant = await createTenant()
    const id = sha(10)
    await putDoc(tenant.token, id)

    const withText = await call(`/v1/documents/${id}?include=text`, { headers: auth(tenant.token) })
    expect(withText.status).toBe(200)
    expect((await json(withText)).text).toBe('Revenue grew in the third quarter.')

    const image = webp(100)
    expect((await putThumb(tenant.token, id, image)).status).toBe(204)
    const thumb = await call(`/v1/documents/${id}/thumbnail`, { headers: auth(tenant.token) })
    expect(thumb.status).toBe(200)
    expect(thumb.headers.get('content-type')).toBe('image/webp')
    expect(new Uint8Array(await thumb.arrayBuffer())).toEqual(image)

    const removed = await call(`/v1/documents/${id}`, {
      method: 'DELETE',
      headers: auth(tenant.token),
    })
    expect(removed.status).toBe(204)
    const gone = await call(`/v1/documents/${id}`, { headers: auth(tenant.token) })
    expect(gone.status).toBe(404)
  })
})
