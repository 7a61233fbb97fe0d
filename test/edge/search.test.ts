import { describe, expect, it } from 'vitest'
import { auth, call, createTenant, docBody, json, putDoc, sha } from './helpers'
import type { Tenant } from './helpers'

const HOSTILE_QUERIES = [
  '"',
  '"unbalanced',
  'say "hello',
  '""',
  'NEAR',
  'NEAR(revenue quarter, 2)',
  'revenue NEAR/3 quarter',
  'AND',
  'OR OR OR',
  'NOT revenue',
  '(',
  ')',
  '((revenue',
  'revenue)',
  '*',
  '**',
  'rev*',
  '*venue',
  '-',
  '-revenue',
  'revenue -quarter',
  '^revenue',
  'name:revenue',
  'text:',
  '{name text}: revenue',
  '+',
  ':',
  "'; DROP TABLE documents; --",
  '\u0000',
  '\uFDD0revenue\uFDD1',
  'é̃',
  '💥',
  'a'.repeat(999),
  'revenue '.repeat(120),
]

async function seed(tenant: Tenant) {
  await putDoc(
    tenant.token,
    sha(1),
    docBody({
      name: 'q3-report.pdf',
      text: 'Revenue grew in the third quarter, said <b>Ada</b> & co.',
    }),
  )
  await putDoc(
    tenant.token,
    sha(2),
    docBody({ name: 'revenue-forecast.pdf', text: 'A forecast of revenue and revenue growth.' }),
  )
  await putDoc(
    tenant.token,
    sha(3),
    docBody({ name: 'holiday.jpg', kind: 'image', mime: 'image/jpeg', text: undefined }),
  )
}

function searchFor(tenant: Tenant, q: string, extra = '') {
  return call(`/v1/search?q=${encodeURIComponent(q)}${extra}`, { headers: auth(tenant.token) })
}

describe('GET /v1/search', () => {
  it('ranks hits and highlights matches in escaped snippets', async () => {
    const tenant = await createTenant()
    await seed(tenant)

    const body = await json(await searchFor(tenant, 'revenue'))

    expect(body.next).toBeNull()
    expect(body.items.map((item: { sha256: string }) => item.sha256)).toEqual([sha(2), sha(1)])
    expect(body.items[1].score).toBeGreaterThan(0)
    expect(body.items[0].score).toBeGreaterThanOrEqual(body.items[1].score)
    const q3 = body.items[1]
    expect(q3).toMatchObject({ sha256: sha(1), name: 'q3-report.pdf' })
    expect(q3.snippet).toContain('<mark>Revenue</mark>')
    expect(q3.snippet).toContain('&lt;b&gt;Ada&lt;/b&gt; &amp; co.')
    expect(q3.snippet).not.toContain('<b>')
  })

  it('matches every word, and the last one as a prefix', async () => {
    const tenant = await createTenant()
    await seed(tenant)

    const both = await json(await searchFor(tenant, 'third revenue'))
    const prefix = await json(await searchFor(tenant, 'forec'))

    expect(both.items.map((item: { sha256: string }) => item.sha256)).toEqual([sha(1)])
    expect(prefix.items.map((item: { sha256: string }) => item.sha256)).toEqual([sha(2)])
  })

  it('finds documents by name', async () => {
    const tenant = await createTenant()
    await seed(tenant)

    const body = await json(await searchFor(tenant, 'holiday'))

    expect(body.items).toEqual([
      {
        sha256: sha(3),
        name: 'holiday.jpg',
        snippet: '<mark>holiday</mark>.jpg',
        score: expect.any(Number),
      },
    ])
  })

  it('pages through hits with a cursor', async () => {
    const tenant = await createTenant()
    await seed(tenant)

    const first = await json(await searchFor(tenant, 'revenue', '&limit=1'))
    const second = await json(await searchFor(tenant, 'revenue', `&limit=1&cursor=${first.next}`))

    expect(first.items).toHaveLength(1)
    expect(second.items).toHaveLength(1)
    expect(second.items[0].sha256).not.toBe(first.items[0].sha256)
    expect(second.next).toBeNull()
  })

  it('cannot turn stored text into markup through the snippet markers', async () => {
    const tenant = await createTenant()
    await putDoc(
      tenant.token,
      sha(4),
      docBody({ text: 'budget \uFDD0<img src=x onerror=alert(1)>\uFDD1' }),
    )

    const body = await json(await searchFor(tenant, 'budget'))

    expect(body.items[0].snippet).not.toMatch(/<(?!\/?mark>)/)
  })

  it.each(HOSTILE_QUERIES.map((q) => [q.length > 40 ? `${q.slice(0, 40)}…` : q, q]))(
    'answers results or a 400 with a code, never a 500, for %j',
    async (_label, q) => {
      const tenant = await createTenant()
      await seed(tenant)

      const res = await searchFor(tenant, q)

      expect([200, 400]).toContain(res.status)
      const body = await json(res)
      if (res.status === 200) expect(Array.isArray(body.items)).toBe(true)
      else expect(body.error.code).toBe('invalid_request')
    },
  )

  it('answers 400 invalid_request for a 10,000-character query', async () => {
    const tenant = await createTenant()

    const res = await searchFor(tenant, 'revenue'.repeat(1429).slice(0, 10_000))

    expect(res.status).toBe(400)
    expect((await json(res)).error.code).toBe('invalid_request')
  })

  it('treats operators as plain words', async () => {
    const tenant = await createTenant()
    await putDoc(tenant.token, sha(5), docBody({ text: 'stay NEAR the exit, NOT here' }))

    const near = await json(await searchFor(tenant, 'NEAR'))
    const not = await json(await searchFor(tenant, 'NOT here'))

    expect(near.items).toHaveLength(1)
    expect(not.items).toHaveLength(1)
  })

  it('stops finding a document once it is deleted', async () => {
    const tenant = await createTenant()
    await seed(tenant)

    await call(`/v1/documents/${sha(2)}`, { method: 'DELETE', headers: auth(tenant.token) })

    const body = await json(await searchFor(tenant, 'forecast'))
    expect(body.items).toEqual([])
  })
})
