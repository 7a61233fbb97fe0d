import { describe, expect, it } from 'vitest'
import { auth, call, createTenant, docBody, json, putDoc, putThumb, sha, webp } from './helpers'

/** The c14 case from /work/shared/cases: a metadata body cut off mid-array. */
const C14_MALFORMED = '{"tenantId":"tenant-a","fileName":"report.pdf","pageCount":3,"tags":["q3",'
/** The c14 case: an empty body. */
const C14_EMPTY = ''

const BAD_IDS = [
  ['63 characters', sha(1).slice(1)],
  ['65 characters', `${sha(1)}0`],
  ['upper-case hex', sha(0xabc).toUpperCase()],
  ['not hex', 'g'.repeat(64)],
  ['a path trick', '..%2F..%2Fetc'],
]

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  const body = await json(res)
  expect(body).toEqual({ error: { code, message: expect.any(String) } })
  expect(JSON.stringify(body)).not.toMatch(/\bat .+:\d+:\d+/)
}

async function documentCount(token: string): Promise<number> {
  return (await json(await call('/v1/usage', { headers: auth(token) }))).documents
}

describe('a document id that is not 64 lowercase hex characters', () => {
  it.each(BAD_IDS)('is a 400 invalid_request on every document route (%s)', async (_name, id) => {
    const tenant = await createTenant()
    const headers = auth(tenant.token)

    const answers = await Promise.all([
      putDoc(tenant.token, id),
      call(`/v1/documents/${id}`, { headers }),
      call(`/v1/documents/${id}`, { method: 'DELETE', headers }),
      putThumb(tenant.token, id),
      call(`/v1/documents/${id}/thumbnail`, { headers }),
    ])

    for (const res of answers) await expectError(res, 400, 'invalid_request')
  })
})

describe('PUT /v1/documents/:sha256 bodies', () => {
  it('answers 400 invalid_json for the truncated c14 body and writes nothing', async () => {
    const tenant = await createTenant()

    await expectError(await putDoc(tenant.token, sha(1), C14_MALFORMED), 400, 'invalid_json')
    expect(await documentCount(tenant.token)).toBe(0)
  })

  it('answers 400 invalid_json for the empty c14 body and writes nothing', async () => {
    const tenant = await createTenant()

    await expectError(await putDoc(tenant.token, sha(1), C14_EMPTY), 400, 'invalid_json')
    expect(await documentCount(tenant.token)).toBe(0)
  })

  it('answers 400 invalid_json for JSON that is not an object', async () => {
    const tenant = await createTenant()

    await expectError(await putDoc(tenant.token, sha(1), '[1, 2'), 400, 'invalid_json')
    await expectError(await putDoc(tenant.token, sha(1), 'null'), 400, 'invalid_request')
  })

  it('answers 415 for a body that is not sent as JSON', async () => {
    const tenant = await createTenant()

    const res = await call(`/v1/documents/${sha(1)}`, {
      method: 'PUT',
      headers: auth(tenant.token, { 'content-type': 'text/plain' }),
      body: JSON.stringify(docBody()),
    })

    await expectError(res, 415, 'unsupported_media_type')
  })

  it('answers 413 payload_too_large for a body over 4 MiB', async () => {
    const tenant = await createTenant()
    const body = JSON.stringify(docBody({ text: 'x'.repeat(4 * 1024 * 1024 + 1) }))

    await expectError(await putDoc(tenant.token, sha(1), body), 413, 'payload_too_large')
    expect(await documentCount(tenant.token)).toBe(0)
  })

  it('answers 413 when the text is over 1 MiB of UTF-8', async () => {
    const tenant = await createTenant()
    const text = 'é'.repeat(512 * 1024 + 1)

    await expectError(
      await putDoc(tenant.token, sha(1), docBody({ text })),
      413,
      'payload_too_large',
    )
  })

  it.each([
    ['a missing name', { name: undefined }],
    ['a negative size', { bytes: -1 }],
    ['an unknown kind', { kind: 'video' }],
    ['a failed file without an error', { status: 'failed' }],
    ['a ready file with a null kind', { kind: null }],
    [
      'an error code outside the processing codes',
      { status: 'failed', error: { code: 'exploded', message: 'boom' } },
    ],
    ['a fractional width', { width: 1.5 }],
    ['a string for pages', { pages: '3' }],
  ])('answers 400 invalid_request for %s', async (_name, change) => {
    const tenant = await createTenant()

    const res = await putDoc(tenant.token, sha(1), docBody(change))

    await expectError(res, 400, 'invalid_request')
  })

  it('names the field and the rule in the message', async () => {
    const tenant = await createTenant()

    const body = await json(await putDoc(tenant.token, sha(1), docBody({ bytes: -1 })))

    expect(body.error.message).toMatch(/^bytes: /)
  })
})

describe('PUT /v1/documents/:sha256/thumbnail bodies', () => {
  it('answers 404 when the document does not exist', async () => {
    const tenant = await createTenant()

    await expectError(await putThumb(tenant.token, sha(9)), 404, 'not_found')
  })

  it.each([
    [
      'a PNG',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(24).fill(0)]),
    ],
    ['an empty body', new Uint8Array()],
    ['a RIFF size that does not match', webp(64).slice(0, 60)],
    ['a RIFF that is not WebP', Uint8Array.from(webp(64), (byte, i) => (i === 8 ? 0x41 : byte))],
  ])('answers 415 for %s', async (_name, body) => {
    const tenant = await createTenant()
    await putDoc(tenant.token, sha(1))

    await expectError(await putThumb(tenant.token, sha(1), body), 415, 'unsupported_media_type')
  })

  it('answers 415 when Content-Type is not image/webp', async () => {
    const tenant = await createTenant()
    await putDoc(tenant.token, sha(1))

    const res = await call(`/v1/documents/${sha(1)}/thumbnail`, {
      method: 'PUT',
      headers: auth(tenant.token, { 'content-type': 'image/png' }),
      body: webp(),
    })

    await expectError(res, 415, 'unsupported_media_type')
  })

  it('answers 413 over the 256 KiB default and accepts exactly 256 KiB', async () => {
    const tenant = await createTenant()
    await putDoc(tenant.token, sha(1))

    const over = await putThumb(tenant.token, sha(1), webp(256 * 1024 + 2))
    const exact = await putThumb(tenant.token, sha(1), webp(256 * 1024))

    await expectError(over, 413, 'payload_too_large')
    expect(exact.status).toBe(204)
  })

  it('answers 413 over the 1 MiB hard cap before reading the rest', async () => {
    const tenant = await createTenant()
    await putDoc(tenant.token, sha(1))

    await expectError(
      await putThumb(tenant.token, sha(1), webp(1024 * 1024 + 2)),
      413,
      'payload_too_large',
    )
  })
})

describe('query parameters', () => {
  it.each([
    ['limit=0', '/v1/documents?limit=0'],
    ['limit=101', '/v1/documents?limit=101'],
    ['limit=abc', '/v1/documents?limit=abc'],
    ['a made-up cursor', '/v1/documents?cursor=bm9wZQ'],
    ['a cursor that is not base64', '/v1/documents?cursor=%%%'],
    ['a search cursor on the list', '/v1/documents?cursor=czI'],
    ['include=everything', `/v1/documents/${sha(1)}?include=everything`],
    ['an empty q', '/v1/search?q='],
    ['no q', '/v1/search'],
  ])('answers 400 invalid_request for %s', async (_name, path) => {
    const tenant = await createTenant()

    await expectError(await call(path, { headers: auth(tenant.token) }), 400, 'invalid_request')
  })
})

describe('routes that do not exist', () => {
  it('answer 404 not_found in the error shape', async () => {
    await expectError(await call('/v1/nothing'), 404, 'not_found')
  })
})

describe('bodies on routes that take none', () => {
  it('answer 413 over 1 KiB', async () => {
    const tenant = await createTenant()

    const res = await call(`/v1/documents/${sha(1)}`, {
      method: 'DELETE',
      headers: auth(tenant.token, { 'content-type': 'application/json' }),
      body: 'x'.repeat(2048),
    })

    await expectError(res, 413, 'payload_too_large')
  })
})

describe('long metadata strings', () => {
  it('are cut to their limit rather than refused', async () => {
    const tenant = await createTenant()
    const body = docBody({
      name: 'n'.repeat(5000),
      title: 't'.repeat(5000),
      author: 'a'.repeat(5000),
    })

    const res = await putDoc(tenant.token, sha(1), body)

    expect(res.status).toBe(201)
    const doc = await json(res)
    expect([doc.name.length, doc.title.length, doc.author.length]).toEqual([1024, 2000, 2000])
  })

  it('cut a failed file’s error message too', async () => {
    const tenant = await createTenant()
    const error = { code: 'corrupt', message: 'm'.repeat(10_000) }

    const res = await putDoc(tenant.token, sha(1), docBody({ status: 'failed', error }))

    expect((await json(res)).error.message).toHaveLength(2000)
  })
})
